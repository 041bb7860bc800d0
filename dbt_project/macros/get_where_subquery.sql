{#-
    dbt's hook for the `where` config of data tests, extended: on an incremental model whose config has
    meta.incremental_test_rows (a SQL predicate on its own rows, e.g. the rows the last run wrote), the tests other
    than the key tests (unique, unique_combination_of_columns: a duplicate may pair a new row with an old one)
    check only the rows the predicate keeps. Rows an earlier run wrote were tested by that run. The predicates keep
    every row after a full build (all rows then carry the same loaded_at); --vars '{test_every_row: true}' (the
    nightly refresh) makes every test read every row anyway.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if execute and not var('test_every_row', false) -%}
        {%- set test_name = (model.get('test_metadata') or {}).get('name') -%}
        {%- set tested = graph.nodes.get(model.get('attached_node') or '', {}) -%}
        {%- set rows = ((tested.get('config') or {}).get('meta') or {}).get('incremental_test_rows') -%}
        {%- if rows and test_name not in ('unique', 'unique_combination_of_columns')
            and (tested.get('alias') or tested.get('name')) == relation.identifier -%}
            {%- set where = '(' ~ rows ~ ')' ~ ((' and (' ~ where ~ ')') if where else '') -%}
        {%- endif -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
