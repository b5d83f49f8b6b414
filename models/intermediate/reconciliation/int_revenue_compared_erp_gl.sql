{#- ERP shipped value (units at the order's net price) against GL revenue, per family and
    closed fiscal period (the GL's own fiscal year and period on each line; ERP by ship
    date through the fiscal calendar). Each system's number as it reports it. GL revenue
    posted under a product line the dictionary cannot map gets its own row. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

fiscal_periods as (

    select
        cast(fiscal_year as varchar) || '-' || lpad(cast(fiscal_period as varchar), 2, '0') as period_id,
        max(calendar_date) as period_end

    from {{ ref('int_calendar_days') }}
    group by fiscal_year, fiscal_period

),

family_prices as (

    select * from {{ ref('int_family_prices') }}

),

shipments as (

    select * from {{ ref('int_shipment_lines_valued') }}

),

revenue_lines as (

    select
        *,
        cast(fiscal_year as varchar) || '-' || lpad(cast(fiscal_period as varchar), 2, '0') as period_id

    from {{ ref('int_journal_lines_checked') }}
    where account_type = 'revenue' and (quarantine_rule is null or quarantine_rule = 'unmapped_code')

),

erp_value as (

    select
        master_family as subject,
        cast(ship_fiscal_year as varchar) || '-' || lpad(cast(ship_fiscal_period as varchar), 2, '0') as period_id,
        sum(shipped_value) as erp_value

    from shipments
    group by master_family, ship_fiscal_year, ship_fiscal_period

),

gl_value as (

    select
        master_family as subject,
        period_id,
        sum(amount) as gl_value

    from revenue_lines
    where master_family is not null
    group by master_family, period_id

),

family_compared as (

    select
        'family' as subject_type,
        coalesce(erp_value.subject, gl_value.subject) as subject,
        coalesce(erp_value.period_id, gl_value.period_id) as period_id,
        cast(coalesce(erp_value.erp_value, 0) as double) as left_value,
        cast(coalesce(gl_value.gl_value, 0) as double) as right_value

    from erp_value
    full outer join gl_value
        on erp_value.subject = gl_value.subject
            and erp_value.period_id = gl_value.period_id

),

unmapped_compared as (

    select
        'source_code' as subject_type,
        'gl:' || product_line as subject,
        period_id,
        cast(0 as double) as left_value,
        cast(sum(amount) as double) as right_value

    from revenue_lines
    where quarantine_rule = 'unmapped_code'
    group by product_line, period_id

),

compared as (

    select * from family_compared
    union all
    select * from unmapped_compared

),

closed as (

    select
        'erp_shipments_vs_gl_revenue' as comparison,
        compared.subject_type,
        compared.subject,
        compared.period_id,
        'money' as measure,
        'erp' as left_system,
        compared.left_value,
        'gl' as right_system,
        compared.right_value,
        compared.right_value - compared.left_value as difference,
        family_prices.family_price as unit_price

    from compared
    left join family_prices on compared.subject = family_prices.master_family
    inner join fiscal_periods on compared.period_id = fiscal_periods.period_id
    cross join cycle
    where
        fiscal_periods.period_end < cycle.as_of_date
        and exists (select 1 from shipments)
        and exists (select 1 from revenue_lines)

)

select * from closed
