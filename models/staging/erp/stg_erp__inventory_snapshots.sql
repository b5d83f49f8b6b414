with

source as (

    select * from {{ source('erp', 'inventory') }}

),

renamed as (

    select
        snapshot_date,
        erp_item,
        warehouse,
        on_hand_qty as on_hand_uom,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
