{#-
    Pre-hook of the incremental mart_sales_lines: delete the lines of the orders cancelled since its last run
    (fct_order_lines wrote them again, now cancelled, after the newest line the mart holds). The run then has no
    sold lines to put in their place; every other changed order is replaced by the run itself (delete+insert).
-#}
{% macro delete_cancelled_sales_lines() -%}

{%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
{%- if 'loaded_at' in existing -%}
delete from {{ this }}
where order_number in (
    select order_number from {{ ref('fct_order_lines') }}
    where
        is_cancelled
        and loaded_at > (select coalesce(max(loaded_at), '-infinity'::timestamptz) from {{ this }})
)
{%- endif -%}

{%- endmacro %}
