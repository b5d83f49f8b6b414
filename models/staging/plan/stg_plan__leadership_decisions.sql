with

source as (

    select * from {{ source('plan', 'leadership_decisions') }}

),

renamed as (

    select
        decision_id,
        cycle,
        topic,
        lower(trim(decision)) as decision,
        owner,
        due_date,
        lower(trim(status)) as status,
        nullif(trim(option_id), '') as option_id,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
