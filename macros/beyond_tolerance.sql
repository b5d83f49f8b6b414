{#- True when a compared row's difference exceeds both tolerances of its comparison:
    |difference| > tolerance_abs and |difference| > tolerance_pct% of the larger side. -#}
{% macro beyond_tolerance(compared, tolerances) -%}
    (
        abs({{ compared }}.difference) > {{ tolerances }}.tolerance_abs
        and abs({{ compared }}.difference)
        > {{ tolerances }}.tolerance_pct / 100.0
        * greatest(abs({{ compared }}.left_value), abs({{ compared }}.right_value))
    )
{%- endmacro %}
