{#- The calendar day of a UTC timestamp in the reporting time zone (var `reporting_timezone`). -#}
{% macro local_date(column) -%}
    cast(timezone('{{ var("reporting_timezone") }}', {{ column }}) as date)
{%- endmacro %}
