{#- Does the calendar cover the data? One row per dated entity: its landed rows, the rows
    whose date the calendar (landed master/fiscal_calendar, or generated) does not hold,
    the first and last of those dates, and the calendar's own first and last day. A landed
    fiscal calendar that stops short shows here (and the singular test
    calendar_covers_the_data warns); when it costs an entity more than its allowed share,
    int_build_gate stops the build with these dates. -#}
{%- set dated = [
    ['int_orders_checked', 'crm', 'orders', 'requested_date'],
    ['int_shipments_checked', 'erp', 'shipments', 'ship_date'],
    ['int_journal_lines_checked', 'gl', 'journal_lines', 'posting_date'],
    ['int_inventory_snapshots_checked', 'erp', 'inventory', 'snapshot_date'],
    ['int_supply_orders_checked', 'erp', 'supply', 'due_date'],
    ['int_sales_forecasts_checked', 'crm', 'sales_forecast', 'period_start'],
    ['int_ops_forecasts_checked', 'erp', 'ops_forecast', 'period_start'],
] %}
with

calendar_span as (

    select
        min(calendar_date) as calendar_first_date,
        max(calendar_date) as calendar_last_date,
        min(calendar_source) as calendar_source

    from {{ ref('int_calendar_days') }}

),

coverage as (

    {% for model, system, entity, column in dated %}
        select
            '{{ system }}' as source_system,
            '{{ entity }}' as entity,
            '{{ column }}' as date_column,
            count(*) as rows_landed,
            count(*) filter (where quarantine_rule = 'date_outside_calendar') as rows_outside,
            min({{ column }}) filter (where quarantine_rule = 'date_outside_calendar') as first_date_outside,
            max({{ column }}) filter (where quarantine_rule = 'date_outside_calendar') as last_date_outside

        from {{ ref(model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

reported as (

    select
        coverage.*,
        calendar_span.calendar_first_date,
        calendar_span.calendar_last_date,
        calendar_span.calendar_source

    from coverage
    cross join calendar_span

)

select * from reported
