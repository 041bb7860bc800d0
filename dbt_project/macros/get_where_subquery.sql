{#-
    dbt's hook for the `where` config of data tests, extended: on an incremental model whose config has
    meta.incremental_test_rows (a SQL predicate on its own rows, e.g. the rows the last run wrote), its tests check
    only those rows; rows an earlier run wrote were tested by that run. The key tests (unique,
    unique_combination_of_columns) check every row whose key is one of those rows' keys: a duplicate the run made
    pairs a new row with an old one or another new one, and both are kept, while a key no new row has was checked
    before and no run adds to it. The predicates keep every row after a full build (all rows then carry the same
    loaded_at); --vars '{test_every_row: true}' (the nightly refresh) makes every test read every row anyway.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if execute and not var('test_every_row', false) -%}
        {%- set metadata = model.get('test_metadata') or {} -%}
        {%- set test_name = metadata.get('name') -%}
        {%- set tested = graph.nodes.get(model.get('attached_node') or '', {}) -%}
        {%- set rows = ((tested.get('config') or {}).get('meta') or {}).get('incremental_test_rows') -%}
        {%- if rows and (tested.get('alias') or tested.get('name')) == relation.identifier -%}
            {%- set kwargs = metadata.get('kwargs') or {} -%}
            {%- if test_name == 'unique' -%}
                {%- set key = kwargs.get('column_name') -%}
            {%- elif test_name == 'unique_combination_of_columns' -%}
                {%- set key = '(' ~ (kwargs.get('combination_of_columns') or []) | join(', ') ~ ')' -%}
            {%- else -%}
                {%- set key = none -%}
            {%- endif -%}
            {%- if key -%}
                {%- set rows = key ~ ' in (select ' ~ key ~ ' from ' ~ relation ~ ' where ' ~ rows ~ ')' -%}
            {%- endif -%}
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
