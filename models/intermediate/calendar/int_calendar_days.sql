{#- Every date mapped to its fiscal period and to its planning period. The fiscal calendar
    comes from master/fiscal_calendar when landed; otherwise it is generated: 4-4-5 weeks per
    quarter, the fiscal year ending on the Saturday nearest 31 December (so some years have
    53 weeks, the extra week going to period 12). The generated calendar covers the data
    with no var: from the fiscal year of the earliest landed date of any entity to the
    fiscal year of the horizon's end (int_landing_as_of_date); the optional vars
    calendar_start_year / calendar_end_year only widen it. The planning period is the fiscal period
    (var planning_calendar = fiscal_445) or the calendar month (calendar_month). -#}
with

master_days as (

    select
        calendar_date,
        fiscal_year,
        fiscal_period,
        fiscal_week,
        'master/fiscal_calendar' as calendar_source

    from {{ ref('int_fiscal_calendar_days_checked') }}
    where quarantine_rule is null

),

landed_span as (

    select
        {% if var('calendar_start_year') is not none -%}
            least(coalesce(year(first_landed_date), {{ var('calendar_start_year') }}), {{ var('calendar_start_year') }})
        {%- else -%}
            coalesce(year(first_landed_date), year(data_as_of_date), year(current_date))
        {%- endif %} as first_year,
        {% if var('calendar_end_year') is not none -%}
            greatest(coalesce(year(horizon_end_date), {{ var('calendar_end_year') }}), {{ var('calendar_end_year') }})
        {%- else -%}
            coalesce(year(horizon_end_date), year(first_landed_date), year(current_date))
        {%- endif %} as last_year,
        first_landed_date,
        horizon_end_date

    from {{ ref('int_landing_as_of_date') }}

),

years as (

    select unnest(range(first_year - 2, last_year + 2)) as fiscal_year
    from landed_span

),

year_ends as (

    select
        fiscal_year,
        make_date(fiscal_year, 12, 31) + cast(
            case
                when 6 - dayofweek(make_date(fiscal_year, 12, 31)) <= 3
                    then 6 - dayofweek(make_date(fiscal_year, 12, 31))
                else -(dayofweek(make_date(fiscal_year, 12, 31)) + 1)
            end as integer
        ) as year_end

    from years

),

year_bounds as (

    select
        fiscal_year,
        lag(year_end) over (order by fiscal_year) + 1 as year_start,
        year_end

    from year_ends

),

covering_years as (

    select year_bounds.*
    from year_bounds
    cross join landed_span
    where
        year_bounds.year_start is not null
        and year_bounds.year_end >= least(landed_span.first_landed_date, make_date(landed_span.first_year, 1, 4))
        and year_bounds.year_start <= greatest(landed_span.horizon_end_date, make_date(landed_span.last_year, 1, 4))

),

generated_days as (

    select
        fiscal_year,
        year_start,
        cast(unnest(generate_series(year_start, year_end, interval 1 day)) as date) as calendar_date

    from covering_years

),

generated_weeks as (

    select
        calendar_date,
        fiscal_year,
        date_diff('day', year_start, calendar_date) // 7 + 1 as fiscal_week

    from generated_days

),

generated_periods as (

    select
        calendar_date,
        fiscal_year,
        least((fiscal_week - 1) // 13, 3) * 3
        + case
            when fiscal_week - 1 - least((fiscal_week - 1) // 13, 3) * 13 < 4 then 1
            when fiscal_week - 1 - least((fiscal_week - 1) // 13, 3) * 13 < 8 then 2
            else 3
        end as fiscal_period,
        fiscal_week,
        'generated_445' as calendar_source

    from generated_weeks

),

fiscal_days as (

    select * from master_days

    union all

    select * from generated_periods
    where not exists (select 1 from master_days)

),

planning_days as (

    select
        calendar_date,
        fiscal_year,
        fiscal_period,
        fiscal_week,
        calendar_source,
        {% if var('planning_calendar') == 'calendar_month' -%}
            strftime(calendar_date, '%Y-%m')
        {%- else -%}
            cast(fiscal_year as varchar) || '-' || lpad(cast(fiscal_period as varchar), 2, '0')
        {%- endif %} as period_id

    from fiscal_days

),

with_bounds as (

    select
        calendar_date,
        fiscal_year,
        fiscal_period,
        fiscal_week,
        calendar_source,
        period_id,
        min(calendar_date) over (partition by period_id) as period_start,
        max(calendar_date) over (partition by period_id) as period_end,
        dense_rank() over (order by period_id) as period_seq

    from planning_days

)

select * from with_bounds
