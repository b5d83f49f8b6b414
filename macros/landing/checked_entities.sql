{#- Every entity of the landing contract with the intermediate model that checks its rows
    ([checked model, source system, entity]). The quarantine and the row accounting are
    built from this one list. -#}
{% macro checked_entities() -%}
    {{- return([
        ['int_customers_checked', 'crm', 'customers'],
        ['int_products_checked', 'crm', 'products'],
        ['int_orders_checked', 'crm', 'orders'],
        ['int_promotions_checked', 'crm', 'promotions'],
        ['int_sales_forecasts_checked', 'crm', 'sales_forecast'],
        ['int_items_checked', 'erp', 'items'],
        ['int_shipments_checked', 'erp', 'shipments'],
        ['int_inventory_snapshots_checked', 'erp', 'inventory'],
        ['int_supply_orders_checked', 'erp', 'supply'],
        ['int_resources_checked', 'erp', 'resources'],
        ['int_resource_capacities_checked', 'erp', 'capacity'],
        ['int_routings_checked', 'erp', 'routings'],
        ['int_ops_forecasts_checked', 'erp', 'ops_forecast'],
        ['int_journal_lines_checked', 'gl', 'journal_lines'],
        ['int_budgets_checked', 'gl', 'budget'],
        ['int_sku_crosswalk_checked', 'master', 'sku_crosswalk'],
        ['int_fiscal_calendar_days_checked', 'master', 'fiscal_calendar'],
        ['int_decisions_checked', 'plan', 'decisions'],
        ['int_leadership_decisions_checked', 'plan', 'leadership_decisions'],
    ]) -}}
{%- endmacro %}
