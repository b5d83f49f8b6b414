with

source as (

    select * from {{ source('erp', 'supply') }}

),

renamed as (

    select
        supply_id,
        erp_item,
        lower(trim(supply_type)) as supply_type,
        supplier_id,
        order_date,
        due_date,
        quantity as quantity_uom,
        lower(trim(status)) as status,
        received_date,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
