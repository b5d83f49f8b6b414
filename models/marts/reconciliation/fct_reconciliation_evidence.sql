{#- The landed rows behind each variance: for every variance in fct_reconciliation_variances,
    the rows that point to its cause, with the file row they came from. -#}
with

variances as (

    select * from {{ ref('fct_reconciliation_variances') }}

),

evidence as (

    select * from {{ ref('int_reconciliation_evidence') }}

),

joined as (

    select
        variances.variance_id,
        evidence.comparison,
        evidence.subject,
        evidence.period_id,
        evidence.cause,
        cast(round(evidence.evidence_units, 4) as double) as evidence_units,
        cast(round(evidence.evidence_value, 2) as double) as evidence_value,
        evidence.source_entity,
        evidence.landing_row,
        evidence.detail

    from evidence
    inner join variances
        on evidence.comparison = variances.comparison
            and evidence.subject = variances.subject
            and evidence.period_id = variances.period_id

)

select * from joined
