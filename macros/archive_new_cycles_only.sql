{#- The filter every append-only archive (fct_plan_archive, fct_consensus_plan_archive,
    fct_plan_proposals, fct_risk_register_history) ends with: on an incremental run, only
    cycles not archived yet are appended, so a cycle once published is never rewritten and
    re-running it adds nothing. -#}
{% macro archive_new_cycles_only() %}
    {%- if is_incremental() %}
    where cycle not in (select distinct archived.cycle from {{ this }} as archived)
    {%- endif %}
{% endmacro %}
