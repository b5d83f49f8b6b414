{{ config(severity='warn') }}
{#- Warns, with the entity, the dates and the row count, when the calendar (a landed
    master/fiscal_calendar that stops short) does not cover a dated entity's rows. -#}
select * from {{ ref('int_calendar_coverage') }}
where rows_outside > 0
