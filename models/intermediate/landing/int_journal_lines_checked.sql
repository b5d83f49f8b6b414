with

journal_lines as (

    select * from {{ ref('stg_gl__journal_lines') }}

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'gl'

),

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

landing_as_of as (

    select * from {{ ref('int_landing_as_of_date') }}

),

checked as (

    select
        journal_lines.*,
        codes.master_family,
        {{ quarantine_rule(key_rules(['journal_lines.journal_id', 'journal_lines.line_no']) + [
            ['journal_lines.posting_date is null or journal_lines.amount is null or journal_lines.account_type is null or journal_lines.fiscal_year is null or journal_lines.fiscal_period is null', 'missing_value'],
            ["journal_lines.account_type not in ('revenue', 'cogs', 'other')", 'unknown_account_type'],
            ["journal_lines.account_type in ('revenue', 'cogs') and codes.master_family is null", 'unmapped_code'],
            ['journal_lines.fiscal_period not between 1 and 12', 'invalid_fiscal_period'],
            ['journal_lines.posting_date > landing_as_of.horizon_end_date', 'beyond_horizon'],
            ['calendar_days.calendar_date is null', 'date_outside_calendar'],
        ]) }} as quarantine_rule

    from journal_lines
    cross join landing_as_of
    left join codes on journal_lines.product_line = codes.source_code
    left join calendar_days on journal_lines.posting_date = calendar_days.calendar_date

)

select * from checked
