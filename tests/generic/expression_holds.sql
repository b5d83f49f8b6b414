{#- An identity of the model as a dbt test: on every row (or the rows of dbt's `where` config),
    `left` equals `right` within `tolerance`, relative to the larger of 1 and |right| (so
    money in millions and shares in 0-1 are held to the same number of digits). A side that
    is null while the other is not is a failure too: an identity that holds only because a
    term is missing does not hold. Fails with one row per offending row, showing both sides
    and their difference. Example (margin = revenue - cogs):

        data_tests:
          - expression_holds:
              arguments:
                left: margin
                right: revenue - cogs
-#}
{% test expression_holds(model, left, right, tolerance=0.000001) %}

with

checked as (

    select * from {{ model }}

),

sides as (

    select
        checked.*,
        ({{ left }}) as left_side,
        ({{ right }}) as right_side

    from checked

)

select
    sides.*,
    sides.left_side - sides.right_side as difference

from sides
where
    (sides.left_side is null) != (sides.right_side is null)
    or abs(sides.left_side - sides.right_side) > {{ tolerance }} * greatest(1, abs(sides.right_side))

{% endtest %}
