{#- No green build without a plan. One row per landed entity with its rows landed, used and
    quarantined, its largest quarantine rule and the share it may lose (seed
    quarantine_thresholds, the most specific row; default 20%). The model stops the build
    with one message naming the entity, the rule and the count when
      - the demand history (int_demand_history_by_sku_period) is empty after the checks, or
      - an entity loses more than its allowed share of rows to quarantine.
    The forecasting model reads this one, so a stopped build forecasts nothing; with a
    build-then-publish step the previous build stays what readers see.
    Plan entities (decisions) are left out: they answer this build's own proposals.
    The counts and shares per entity are int_quarantine_by_entity. -#}
with

with_threshold as (

    select * from {{ ref('int_quarantine_by_entity') }}

),

calendar_span as (

    select
        min(calendar_date) as first_date,
        max(calendar_date) as last_date

    from {{ ref('int_calendar_days') }}

),

coverage as (

    select * from {{ ref('int_calendar_coverage') }}

),

planning_cycle as (

    select count(*) as n_rows
    from {{ ref('int_planning_cycle') }}

),

history as (

    select count(*) as n_rows
    from {{ ref('int_demand_history_by_sku_period') }}

),

demand_entity as (

    select *
    from with_threshold
    where (source_system, entity) in (('crm', 'orders'), ('erp', 'shipments')) and rows_landed > 0
    order by source_system
    limit 1

),

problems as (

    select
        0 as priority,
        {% if planning_cycle_setting() is not none -%}
            'Build stopped: var ' || {{ sql_literal(planning_cycle_setting_name() ~ ' ' ~ planning_cycle_setting()) }}
            || ' is not a planning period of the calendar, '
        {%- else -%}
            'Build stopped: no planning period of the calendar is closed by the landed data, so there is no cycle to plan; '
        {%- endif %}
        || 'which covers ' || coalesce(cast(calendar_span.first_date as varchar), '-') || ' to '
        || coalesce(cast(calendar_span.last_date as varchar), '-') || '.' as message

    from planning_cycle
    cross join calendar_span
    where planning_cycle.n_rows = 0

    union all

    select
        1 as priority,
        'Build stopped: the demand history is empty after the landing checks, so there is nothing to plan. '
        || coalesce(
            demand_entity.source_system || '/' || demand_entity.entity || ': ' || demand_entity.rows_used
            || ' of ' || demand_entity.rows_landed || ' landed rows used, ' || demand_entity.rows_quarantined
            || ' quarantined, most as ' || coalesce(demand_entity.top_rule, '-') || ' ('
            || coalesce(demand_entity.top_rule_rows, 0) || ' rows)',
            'no crm/orders or erp/shipments rows were landed'
        )
        || '; the calendar covers ' || calendar_span.first_date || ' to ' || calendar_span.last_date
        || '. See marts.fct_landing_quarantine.' as message

    from history
    cross join calendar_span
    left join demand_entity on true
    where history.n_rows = 0

    union all

    select
        2,
        'Build stopped: ' || with_threshold.source_system || '/' || with_threshold.entity || ' lost '
        || with_threshold.rows_quarantined || ' of ' || with_threshold.rows_landed || ' landed rows ('
        || round(100.0 * with_threshold.rows_quarantined / with_threshold.rows_landed, 1)
        || '%) to quarantine, more than the ' || round(100 * with_threshold.max_quarantined_share, 1)
        || '% allowed (seed quarantine_thresholds); most as ' || with_threshold.top_rule || ' ('
        || with_threshold.top_rule_rows || ' rows'
        || coalesce(
            ', dated ' || coverage.first_date_outside || ' to ' || coverage.last_date_outside,
            ''
        )
        || '); the calendar covers ' || calendar_span.first_date
        || ' to ' || calendar_span.last_date || '. See marts.fct_landing_quarantine.'

    from with_threshold
    cross join calendar_span
    left join coverage
        on with_threshold.top_rule = 'date_outside_calendar'
            and with_threshold.source_system = coverage.source_system
            and with_threshold.entity = coverage.entity
    where with_threshold.rows_quarantined > with_threshold.max_quarantined_share * with_threshold.rows_landed

),

first_problem as (

    select message from problems
    order by priority, message
    limit 1

),

gated as (

    select
        with_threshold.source_system,
        with_threshold.entity,
        with_threshold.rows_landed,
        with_threshold.rows_used,
        with_threshold.rows_quarantined,
        with_threshold.top_rule,
        with_threshold.max_quarantined_share,
        cast(case when first_problem.message is not null then error(first_problem.message) end as varchar) as stop_message

    from with_threshold
    left join first_problem on true

)

select * from gated
