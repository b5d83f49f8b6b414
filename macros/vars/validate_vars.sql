{#- The project's vars, checked before anything runs (the first on-run-start hook): each bad
    var stops the run with one message naming the var, its value and what it must be, and
    nothing is landed, built or published. Whether `cycle` lies within the planning
    calendar is checked by the landing hook (`validate_cycle_in_calendar`), which is the
    first to know the calendar, still before any model runs or anything is replaced.

    Every rule is (kind, lower bound, upper bound) or (kind, allowed values):
    int / num: a number (a string holding one is fine) within the bounds;
    choice: one of the values; code: matches the pattern; list: each item matches the
    pattern; text: any string (pasted into SQL only through `sql_quote`). -#}
{% macro sop_var_rules() %}
    {{ return({
        'cycle': ['cycle'],
        'planning_calendar': ['choice', ['fiscal_445', 'calendar_month']],
        'calendar_start_year': ['int', 1900, 2200],
        'calendar_end_year': ['int', 1900, 2200],
        'horizon_days': ['int', 28, 3660],
        'accuracy_max_lag': ['int', 1, 12],
        'late_receipt_days': ['int', 0, 365],
        'inactive_periods': ['int', 1, 120],
        'min_history_periods': ['int', 1, 120],
        'adi_cutoff': ['num', 0, 100],
        'cv2_cutoff': ['num', 0, 100],
        'review_history_periods': ['int', 1, 240],
        'reporting_currency': ['code', '[A-Z]{3}', 'an ISO currency code such as USD'],
        'dso_days': ['num', 0, 365],
        'dpo_days': ['num', 0, 365],
        'hidden_error_numbers': ['list', '[a-z][a-z0-9_]*', 'number source names such as statistical_baseline'],
        'hidden_error_abc_classes': ['list', '[ABC]', 'ABC classes A, B or C'],
        'hidden_error_rmsse': ['num', 0, 100],
        'hidden_error_wape': ['num', 0, 100],
        'hidden_error_bias': ['num', 0, 100],
        'comfortable_wape': ['num', 0, 100],
        'tracking_signal_limit': ['num', 0, 1000],
        'proposal_periods': ['int', 1, 60],
        'proposal_min_periods': ['int', 1, 60],
        'proposal_min_change': ['num', 0, 100],
        'escalation_min_share': ['num', 0, 1],
        'escalation_min_units': ['num', 0, 1000000000],
        'escalation_leadership_periods': ['int', 1, 60],
        'miss_materiality': ['num', 0, 1],
        'miss_confidence': ['num', 0.5, 1],
        'miss_min_residuals': ['int', 1, 1000],
        'miss_window_periods': ['int', 1, 24],
        'escalation_min_periods': ['int', 1, 60],
        'supplier_history_days': ['int', 1, 36500],
        'late_supplier_share': ['num', 0, 1],
        'service_level_z': ['num', 0, 10],
        'cover_target_periods': ['num', 0, 120],
        'capacity_utilization_limit': ['num', 0, 100],
        'forecast_horizon': ['int', 1, 60],
        'backtest_windows': ['int', 1, 24],
        'forecast_engine': ['choice', ['local', 'dask']],
        'long_tail_families': ['text'],
        'landing_dir': ['text'],
        'publish_dir': ['text'],
        'publish_keep': ['int', 1, 1000],
        'publish': ['choice', ['auto', 'true', 'false', 'True', 'False']],
    }) }}
{% endmacro %}


{% macro var_error(name, value, message) -%}
    {{- exceptions.raise_compiler_error(
        'Invalid var ' ~ name ~ ": '" ~ value ~ "' " ~ message
        ~ '. Nothing ran; the published build is unchanged.'
    ) -}}
{%- endmacro %}


{% macro validate_vars() %}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set re = modules.re -%}
    {%- set rules = sop_var_rules() -%}
    {%- for name in rules | sort -%}
        {%- set rule = rules[name] -%}
        {%- set value = planning_cycle_setting() if name == 'cycle' else var(name, none) -%}
        {%- set name = planning_cycle_setting_name() if name == 'cycle' else name -%}
        {%- if value is not none -%}
            {%- set kind = rule[0] -%}
            {%- set text = value | string -%}
            {%- if kind == 'cycle' -%}
                {%- if value is not string and value is not number or not re.fullmatch('[0-9]{4}-(0[1-9]|1[0-2])', text) -%}
                    {%- do var_error(name, text, 'is not a planning period id YYYY-PP (a four-digit year, a dash and a period 01 to 12, e.g. 2026-03)') -%}
                {%- endif -%}
            {%- elif kind in ('int', 'num') -%}
                {%- set pattern = '[+-]?[0-9]+' if kind == 'int' else '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?' -%}
                {%- set what = 'a whole number' if kind == 'int' else 'a number' -%}
                {%- if value is boolean or value is mapping or (value is iterable and value is not string) or not re.fullmatch(pattern, text | trim) -%}
                    {%- do var_error(name, text, 'is not ' ~ what ~ ' (it must lie between ' ~ rule[1] ~ ' and ' ~ rule[2] ~ ')') -%}
                {%- endif -%}
                {%- set number = (text | trim | float) -%}
                {%- if number < rule[1] or number > rule[2] -%}
                    {%- do var_error(name, text, 'is out of range: it must lie between ' ~ rule[1] ~ ' and ' ~ rule[2]) -%}
                {%- endif -%}
            {%- elif kind == 'choice' -%}
                {%- if text not in rule[1] -%}
                    {%- do var_error(name, text, 'is not one of ' ~ rule[1] | join(', ')) -%}
                {%- endif -%}
            {%- elif kind == 'code' -%}
                {%- if value is not string or not re.fullmatch(rule[1], text) -%}
                    {%- do var_error(name, text, 'is not ' ~ rule[2]) -%}
                {%- endif -%}
            {%- elif kind == 'list' -%}
                {%- set items = [value] if value is string else value -%}
                {%- if value is mapping or items is not iterable or items | length == 0 -%}
                    {%- do var_error(name, text, 'is not a list of ' ~ rule[2]) -%}
                {%- endif -%}
                {%- for item in items -%}
                    {%- if item is not string or not re.fullmatch(rule[1], item) -%}
                        {%- do var_error(name, text, 'holds ' ~ (item | string) ~ ', which is not one of the ' ~ rule[2]) -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- elif kind == 'text' -%}
                {%- if value is not string or '\x00' in text -%}
                    {%- do var_error(name, text, 'is not a text') -%}
                {%- endif -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if var('calendar_start_year', none) is not none and var('calendar_end_year', none) is not none
          and (var('calendar_start_year') | int) > (var('calendar_end_year') | int) -%}
        {%- do var_error('calendar_start_year', var('calendar_start_year'), 'is after calendar_end_year (' ~ var('calendar_end_year') ~ ')') -%}
    {%- endif -%}
    {{ return('select 1') }}
{% endmacro %}


{#- A value as a SQL string literal, quotes doubled: the one way a var or environment value
    enters SQL as text. -#}
{% macro sql_literal(value) -%}
    {{- return("'" ~ (value | string).replace("'", "''") ~ "'") -}}
{%- endmacro %}
