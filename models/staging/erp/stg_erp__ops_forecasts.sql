with

source as (

    select * from {{ source('erp', 'ops_forecast') }}

),

renamed as (

    select
        erp_item,
        period_start,
        quantity as quantity_uom,
        submitted_at,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
