{#- The demand class of every master SKU (see int_skus_classified for the rules). -#}
with

classes as (

    select * from {{ ref('int_skus_classified') }}

)

select
    master_sku,
    master_family,
    demand_class,
    cast(adi as double) as adi,
    cast(cv2 as double) as cv2,
    n_periods,
    n_demand_periods,
    total_units

from classes
