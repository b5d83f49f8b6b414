{#- The planning cycle asked for, or none (then the cycle is the period after the last
    closed one): the var `cycle` when given (`--vars '{cycle: 2026-05}'`), else the
    environment variable SOP_CYCLE when set and not blank. Every reader of the cycle
    setting goes through this macro.

    SOP_CYCLE is read only when dbt executes (`execute`), never while it parses: dbt hashes
    `--vars` into its parse state and records the environment variables a file reads at
    parse time, so a cycle passed either way would make the next run with another cycle
    re-parse. Read at run time only, one cycle after another (`python -m
    sop_analytics.cycles`) keeps partial parsing on. -#}
{% macro planning_cycle_setting() %}
    {%- set value = var('cycle', none) -%}
    {%- if value is none and execute -%}
        {%- set from_env = env_var('SOP_CYCLE', '') | trim -%}
        {%- if from_env != '' -%}
            {%- set value = from_env -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}


{#- How the cycle setting is named in messages: `cycle` for the var, `cycle (SOP_CYCLE)`
    when it came from the environment. -#}
{% macro planning_cycle_setting_name() %}
    {{ return('cycle' if var('cycle', none) is not none else 'cycle (SOP_CYCLE)') }}
{% endmacro %}
