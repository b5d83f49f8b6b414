{#- One row per difference between two systems beyond its tolerance, with its cause and
    its size in units and in money. Comparisons: CRM orders vs ERP shipments (units, master
    SKU x planning period), ERP shipped value vs GL revenue (money, family x fiscal period)
    and the three numbers (units, family x planning period).

    Cause, first that applies:
      unmapped_code          the subject is a source code the SKU dictionary cannot map
      forecast_disagreement  the three numbers disagree (no data error: three opinions)
      missing_posting        ERP shipped value, no GL revenue at all for the family-period
      <evidence cause>       landed rows explain at least half the difference
                             (duplicate, units_of_measure, unmapped_code, shipment_timing,
                             unshipped_orders; see int_reconciliation_evidence)
      cut_off_timing         GL vs ERP: after the landed evidence is taken off both, the
                             next (or previous) period's difference has the opposite sign,
                             and the amount the pair cancels (the smaller of the two) is at
                             least half of this difference, so other small differences in
                             the same cells do not hide the shift
      unexplained            none of the above -#}
with

tolerances as (

    select * from {{ ref('reconciliation_tolerances') }}

),

compared as (

    select * from {{ ref('int_units_compared_crm_erp') }}
    union all
    select * from {{ ref('int_revenue_compared_erp_gl') }}
    union all
    select * from {{ ref('int_three_numbers_compared') }}

),

evidence_totals as (

    select
        comparison,
        subject,
        period_id,
        sum(coalesce(evidence_units, evidence_value)) as explained_total

    from {{ ref('int_reconciliation_evidence') }}
    group by comparison, subject, period_id

),

with_residuals as (

    select
        compared.*,
        compared.difference - coalesce(evidence_totals.explained_total, 0) as residual

    from compared
    left join evidence_totals
        on compared.comparison = evidence_totals.comparison
            and compared.subject = evidence_totals.subject
            and compared.period_id = evidence_totals.period_id

),

with_neighbours as (

    select
        *,
        lag(residual) over (partition by comparison, subject order by period_id) as previous_residual,
        lead(residual) over (partition by comparison, subject order by period_id) as next_residual

    from with_residuals

),

with_shifts as (

    select
        *,
        greatest(
            case when sign(next_residual) = -sign(residual) then least(abs(next_residual), abs(residual)) else 0 end,
            case when sign(previous_residual) = -sign(residual) then least(abs(previous_residual), abs(residual)) else 0 end
        ) as cut_off_shift

    from with_neighbours

),

flagged as (

    select
        with_shifts.*,
        tolerances.tolerance_abs,
        tolerances.tolerance_pct

    from with_shifts
    inner join tolerances on with_shifts.comparison = tolerances.comparison
    where {{ beyond_tolerance('with_shifts', 'tolerances') }}

),

evidence as (

    select
        comparison,
        subject,
        period_id,
        cause,
        sum(coalesce(evidence_units, evidence_value)) as explained,
        count(*) as evidence_rows

    from {{ ref('int_reconciliation_evidence') }}
    group by comparison, subject, period_id, cause

),

main_evidence as (

    select * from evidence
    qualify row_number() over (
            partition by comparison, subject, period_id
            order by abs(explained) desc, cause
        ) = 1

),

classified as (

    select
        flagged.*,
        main_evidence.cause as evidence_cause,
        main_evidence.explained as evidence_explained,
        main_evidence.evidence_rows,
        flagged.cut_off_shift / nullif(abs(flagged.difference), 0) as shift_share,
        case
            when flagged.subject_type = 'source_code' then 'unmapped_code'
            when flagged.comparison = 'three_numbers' then 'forecast_disagreement'
            when
                flagged.comparison = 'erp_shipments_vs_gl_revenue'
                and flagged.right_value = 0 and flagged.left_value > 0
                then 'missing_posting'
            when main_evidence.explained / flagged.difference >= 0.5 then main_evidence.cause
            when
                flagged.comparison = 'erp_shipments_vs_gl_revenue'
                and flagged.cut_off_shift >= 0.5 * abs(flagged.difference)
                then 'cut_off_timing'
            else 'unexplained'
        end as cause

    from flagged
    left join main_evidence
        on flagged.comparison = main_evidence.comparison
            and flagged.subject = main_evidence.subject
            and flagged.period_id = main_evidence.period_id

),

sized as (

    select
        md5(comparison || '|' || subject || '|' || period_id) as variance_id,
        comparison,
        subject_type,
        subject,
        period_id,
        measure,
        left_system,
        round(left_value, 4) as left_value,
        right_system,
        round(right_value, 4) as right_value,
        -- the difference of the rounded sides, so difference = right_value - left_value holds
        -- exactly as published (rounding the three separately could leave 0.0001 between them)
        round(round(right_value, 4) - round(left_value, 4), 4) as difference,
        round(100.0 * difference / nullif(greatest(abs(left_value), abs(right_value)), 0), 2) as difference_pct,
        cast(round(case measure when 'units' then difference else difference / unit_price end, 4) as double) as difference_units,
        round(case measure when 'money' then difference else difference * unit_price end, 2) as difference_value,
        tolerance_abs,
        tolerance_pct,
        cause,
        round(case
            when cause in ('unmapped_code', 'missing_posting') then 1.0
            when cause = evidence_cause then evidence_explained / difference
            when cause = 'cut_off_timing' then least(shift_share, 1.0)
        end, 4) as explained_share,
        coalesce(case when cause = evidence_cause then evidence_rows end, 0) as evidence_rows

    from classified

)

select * from sized
