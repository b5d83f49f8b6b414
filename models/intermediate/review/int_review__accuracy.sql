{#- The review page's accuracy section: per family, the lag-1 WAPE and bias of the
    consensus plan and of the statistical baseline over the published cycles
    (rpt_accuracy_by_number). -#}
with

accuracy as (

    select * from {{ ref('rpt_accuracy_by_number') }}

),

accuracy_rows as (

    select
        'accuracy' as section,
        accuracy.master_family as subject,
        'lag-1 WAPE, ' || accuracy.number_source as metric,
        accuracy.wape as value,
        'share' as unit,
        'bias ' || cast(round(100 * accuracy.bias_pct, 1) as varchar) || '%; netted '
        || cast(round(100 * accuracy.total_wape, 1) as varchar) || '%; over ' || accuracy.n_cycles || ' cycles'
            as detail

    from accuracy
    where accuracy.lag = 1 and accuracy.number_source in ('consensus', 'statistical_baseline')

)

select * from accuracy_rows
