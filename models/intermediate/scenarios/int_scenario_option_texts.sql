{#- Every trade-off option in words, for the pack (read by fct_scenario_options): per option
    key its label and the rationale of what it does and by which rule. The priority options
    say in their label and rationale when no customer priority is landed
    (crm/customers.priority absent, int_customer_priority_shares): every customer then has
    the same priority. -#}
with

priority_shares as (

    select * from {{ ref('int_customer_priority_shares') }}

),

texts as (

    -- the option in words; tie_*: a priority option's words when no customer priority is landed
    select option_texts.* from (
        values
        (
            'do_nothing',
            'Do nothing: cut every SKU pro rata',
            'Every SKU on the resource is cut pro rata to the hours (fct_constrained_plan).',
            null,
            null
        ),
        (
            'allocate_by_margin',
            'Allocate the hours by margin (LP)',
            'The hours go to the SKUs with the most margin per hour first (HiGHS LP).',
            null,
            null
        ),
        (
            'allocate_by_priority',
            'Allocate the hours by customer priority (LP)',
            'The hours serve the customers with the highest priority first (crm/customers.priority, 1 = key '
            || 'account), tier by tier, then the most margin (HiGHS LPs).',
            'Allocate the hours by customer priority (LP): no priorities landed, all tie',
            'No customer priority is landed (crm/customers.priority is absent): every customer has the same '
            || 'priority, so the hours serve the most units, then the most margin (HiGHS LPs).'
        ),
        (
            'build_ahead',
            'Build ahead in earlier periods',
            'The overload''s hours are made earlier, where the resource has spare hours, and carried as stock '
            || 'at the carrying cost rate.',
            null,
            null
        ),
        (
            'add_hours',
            'Add hours (overtime)',
            'The overload''s hours are bought at the overtime cost rate.',
            null,
            null
        ),
        (
            'accept_shortage',
            'Accept the shortage',
            'The units short are lost, pro rata over the customers.',
            null,
            null
        ),
        (
            'expedite',
            'Expedite',
            'The missing units are expedited at the expedite cost share of standard cost.',
            null,
            null
        ),
        (
            'split_supplier',
            'Split to a second supplier',
            'The units short move to a second supplier of the family that does not run late.',
            null,
            null
        ),
        (
            'reallocate_by_priority',
            'Reallocate the stock by customer priority',
            'The same units short, but the stock goes to the customers with the highest priority first '
            || '(crm/customers.priority, 1 = key account): the lowest tiers go short.',
            'Reallocate the stock by customer priority: no priorities landed, all tie',
            'No customer priority is landed (crm/customers.priority is absent): every customer has the same '
            || 'priority, so the stock is shared pro rata, as when the shortage is accepted.'
        )
    ) as option_texts (option_key, option_label, option_rationale, tie_label, tie_rationale)

),

landed_priorities as (

    select coalesce(bool_or(priorities_landed), false) as priorities_landed
    from priority_shares

),

final as (

    select
        texts.option_key,
        case
            when landed_priorities.priorities_landed or texts.tie_label is null then texts.option_label
            else texts.tie_label
        end as option_label,
        case
            when landed_priorities.priorities_landed or texts.tie_rationale is null then texts.option_rationale
            else texts.tie_rationale
        end as option_rationale

    from texts
    cross join landed_priorities

)

select * from final
