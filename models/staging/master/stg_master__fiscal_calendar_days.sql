with

source as (

    select * from {{ source('master', 'fiscal_calendar') }}

),

renamed as (

    select
        date as calendar_date,
        fiscal_year,
        fiscal_period,
        fiscal_week,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
