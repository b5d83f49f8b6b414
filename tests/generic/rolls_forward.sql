{#- A stock flow rolls forward: within each `partition_by`, the `opening` of every row
    equals the `closing` of the row before it in `order_by` (within `tolerance`, relative to
    the larger of 1 and |closing|), and `order_by` has no gap (each row is the previous one
    + 1), so no period is skipped. Together with an expression_holds test on each row
    (closing = opening + in - out) it checks the whole flow, not the formula that defines one
    column. Fails with one row per row that does not continue the one before it. -#}
{% test rolls_forward(model, partition_by, order_by, opening, closing, tolerance=0.000001) %}

with

flows as (

    select * from {{ model }}

),

chained as (

    select
        {{ partition_by | join(', ') }},
        {{ order_by }} as step,
        {{ opening }} as opening_value,
        lag({{ closing }}) over previous as previous_closing,
        lag({{ order_by }}) over previous as previous_step

    from flows
    window previous as (partition by {{ partition_by | join(', ') }} order by {{ order_by }})

)

select *
from chained
where
    previous_step is not null
    and (
        step != previous_step + 1
        or (opening_value is null) != (previous_closing is null)
        or abs(opening_value - previous_closing) > {{ tolerance }} * greatest(1, abs(previous_closing))
    )

{% endtest %}
