with

source as (

    select * from {{ source('gl', 'budget') }}

),

renamed as (

    select
        fiscal_year,
        fiscal_period,
        product_line,
        revenue,
        cogs,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
