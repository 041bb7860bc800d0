{#-
    A total kept on a parent row equals the sum of a field over its child rows,
    e.g. an order's revenue equals the revenue of its lines. Parents without children must be 0.
    Fails on every parent row where the two differ.
-#}
{% test equals_sum_of(model, column_name, to, field, join_on) %}

{%- set keys = [join_on] if join_on is string else join_on -%}

with

children as (

    select
        {% for key in keys %}{{ key }},{% endfor %}
        sum({{ field }}) as child_total

    from {{ to }}
    group by all

),

parents as (

    select * from {{ model }}

),

compared as (

    select
        {% for key in keys %}parent.{{ key }},{% endfor %}
        parent.{{ column_name }} as parent_total,
        coalesce(children.child_total, 0) as child_total

    from parents as parent
    left join children
        using ({{ keys | join(', ') }})

)

select *
from compared
where parent_total is distinct from child_total

{% endtest %}
