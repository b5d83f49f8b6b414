{#- The factor a planner's decision applies to a proposal's baseline (fct_consensus_plan,
    fct_plan_decisions): accept -> the proposal's own factor, proposed / baseline level;
    modify -> adjusted_quantity / baseline level, capped at what the evidence supports:
    between 1 (the baseline) and the proposal's factor, never beyond it and never against
    it; reject (or anything else) -> 1. -#}
{% macro decision_factor(decision, adjusted_quantity, baseline_level, proposed_level) -%}
    case {{ decision }}
        when 'accept' then {{ proposed_level }} / {{ baseline_level }}
        when 'modify'
            then greatest(
                    least({{ adjusted_quantity }} / {{ baseline_level }}, greatest({{ proposed_level }} / {{ baseline_level }}, 1.0)),
                    least({{ proposed_level }} / {{ baseline_level }}, 1.0)
                )
        else 1.0
    end
{%- endmacro %}
