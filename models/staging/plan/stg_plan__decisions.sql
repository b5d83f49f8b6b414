with

source as (

    select * from {{ source('plan', 'decisions') }}

),

renamed as (

    select
        proposal_id,
        lower(trim(decision)) as decision,
        adjusted_quantity,
        rationale,
        decided_by,
        decided_at,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
