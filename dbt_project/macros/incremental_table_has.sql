{#- True on an incremental run whose existing table already has all these columns. A table built before they
    existed is rebuilt whole (once), since the incremental logic relies on them. -#}
{% macro incremental_table_has(columns) %}
    {%- if not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- for column in columns -%}
        {%- if column not in existing -%}
            {{ return(false) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(true) }}
{% endmacro %}
