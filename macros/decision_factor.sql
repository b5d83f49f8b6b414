{#- The factor a planner's decision applies to a proposal's SKU baseline, capped by the
    evidence: `accept` takes the proposal (proposed / baseline level); `modify` takes the
    planner's adjusted_quantity / baseline level, but never beyond the proposal's level nor
    against its direction (kept between 1 and proposed / baseline): a proposal is sized on
    the significant part of the miss, the most the evidence supports, so no decision can
    push the plan further than that; `reject` (or anything else) leaves the baseline (1). -#}
{% macro decision_factor(decision, adjusted_quantity, baseline_level_units, proposed_level_units) -%}
    case {{ decision }}
        when 'accept' then {{ proposed_level_units }} / {{ baseline_level_units }}
        when 'modify'
            then greatest(
                least(
                    {{ adjusted_quantity }} / {{ baseline_level_units }},
                    greatest(1.0, {{ proposed_level_units }} / {{ baseline_level_units }})
                ),
                least(1.0, {{ proposed_level_units }} / {{ baseline_level_units }})
            )
        else 1.0
    end
{%- endmacro %}
