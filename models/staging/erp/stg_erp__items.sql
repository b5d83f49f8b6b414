with

source as (

    select * from {{ source('erp', 'items') }}

),

renamed as (

    select
        erp_item,
        description,
        family as erp_family,
        upper(trim(uom)) as uom,
        units_per_uom,
        std_cost,
        upper(trim(currency)) as currency,
        lead_time_days,
        moq,
        lower(trim(status)) as status,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
