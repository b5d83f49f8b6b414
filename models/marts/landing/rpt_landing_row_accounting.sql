{#- Rows landed = rows used + rows quarantined, per entity, with the file's status
    (`present`, or `source_absent` for an optional file that was not delivered). -#}
with

files as (

    select * from {{ ref('stg_landing__files') }}

),

counts as (

    {% for entity in checked_entities() %}
        select
            '{{ entity[1] }}' as source_system,
            '{{ entity[2] }}' as entity,
            count(*) as rows_checked,
            count(*) filter (where quarantine_rule is null) as rows_used,
            count(*) filter (where quarantine_rule is not null) as rows_quarantined

        from {{ ref(entity[0]) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

accounting as (

    select
        files.source_system,
        files.entity,
        files.status,
        files.file_path,
        files.is_required,
        cast(files.rows_landed as bigint) as rows_landed,
        counts.rows_used,
        counts.rows_quarantined,
        files.rows_landed = counts.rows_used + counts.rows_quarantined as is_balanced

    from files
    inner join counts
        on files.source_system = counts.source_system
            and files.entity = counts.entity

)

select * from accounting
