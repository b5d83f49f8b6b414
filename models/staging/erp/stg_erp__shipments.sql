with

source as (

    select * from {{ source('erp', 'shipments') }}

),

renamed as (

    select
        shipment_id,
        line_no,
        order_id,
        customer_id,
        erp_item,
        ship_date,
        quantity as quantity_uom,
        warehouse,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
