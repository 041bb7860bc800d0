-- One row per order with the totals of its lines and the customer's order sequence. Incremental by order
-- (delete+insert on order_number), equal to a full refresh: a run takes the orders whose (order_number,
-- updated_at) it has not counted yet, as fct_order_lines does, and sums their lines; it numbers again every order
-- of their customers (a cancellation or a back-dated order renumbers the customer's later orders), the others as
-- stored, and writes the changed orders and those whose number moved. Big customers own many orders, so the
-- unchanged ones keep their stored totals rather than summing their lines again.
{{
    config(
        materialized='incremental',
        unique_key='order_number',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

{%- set counted_changes = incremental_table_has(['order_updated_at', 'loaded_at']) %}

with

{% if counted_changes %}

changed_orders as (

    select staged.*
    from {{ ref('stg_oms__orders') }} as staged
    anti join (select order_number, order_updated_at from {{ this }}) as counted
        on staged.order_number = counted.order_number and staged.updated_at = counted.order_updated_at

),

renumbered_customers as (

    select customer_code from changed_orders

    union

    -- the customer an order belonged to before the change
    select stored.customer_code
    from {{ this }} as stored
    semi join changed_orders
        on stored.order_number = changed_orders.order_number

),

{% endif %}

orders as (

    {% if counted_changes %}
        select * from changed_orders
    {% else %}
        select * from {{ ref('stg_oms__orders') }}
    {% endif %}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}
    {% if counted_changes %}
        where order_number in (select order_number from changed_orders)
    {% endif %}

),

line_totals as (

    select
        order_number,
        count(*) as order_lines,
        cast(sum(quantity) as bigint) as units,
        cast(sum(revenue) as decimal(18, 2)) as revenue,
        cast(sum(tax) as decimal(18, 2)) as tax,
        cast(sum(cost) as decimal(18, 2)) as cost,
        cast(sum(margin) as decimal(18, 2)) as margin

    from order_lines
    group by order_number

),

joined as (

    select
        -- ids
        orders.order_number,
        orders.order_id,
        orders.customer_code,
        orders.external_ref,

        -- text
        orders.channel,
        orders.status,
        orders.currency,
        orders.created_by,

        -- numbers
        coalesce(line_totals.order_lines, 0) as order_lines,
        coalesce(line_totals.units, 0) as units,
        coalesce(line_totals.revenue, 0) as revenue,
        coalesce(line_totals.tax, 0) as tax,
        coalesce(line_totals.cost, 0) as cost,
        coalesce(line_totals.margin, 0) as margin,
        orders.total,

        -- booleans
        orders.is_cancelled,

        -- timestamps and dates
        orders.ordered_at,
        orders.updated_at as order_updated_at,
        -- when this dbt run wrote the order (as on fct_order_lines)
        cast('{{ run_started_at.isoformat() }}' as timestamptz) as loaded_at,
        {{ local_date('orders.ordered_at') }} as order_date

    from orders
    left join line_totals
        on orders.order_number = line_totals.order_number

),

{% if counted_changes %}

every_order_of_their_customers as (

    select * from joined

    union all by name

    -- the unchanged orders of the renumbered customers, as stored
    select
        * exclude (customer_order_seq, is_first_order, loaded_at),
        cast('{{ run_started_at.isoformat() }}' as timestamptz) as loaded_at

    from {{ this }}
    where
        customer_code in (select customer_code from renumbered_customers)
        and order_number not in (select order_number from changed_orders)

),

{% endif %}

customer_sequence as (

    select
        *,
        -- The n-th order a customer placed that was not cancelled; null for cancelled orders.
        case
            when is_cancelled then null
            else row_number() over (
                partition by customer_code, is_cancelled
                order by ordered_at, order_number
            )
        end as customer_order_seq

    from {{ 'every_order_of_their_customers' if counted_changes else 'joined' }}

),

flagged as (

    select
        *,
        coalesce(customer_order_seq = 1, false) as is_first_order

    from customer_sequence

)

select flagged.* from flagged
{% if counted_changes %}
    -- the changed orders, and the other orders of their customers whose number moved
    left join (select order_number, customer_order_seq from {{ this }}) as stored
        on flagged.order_number = stored.order_number
    where
        flagged.order_number in (select order_number from changed_orders)
        or stored.order_number is null
        or flagged.customer_order_seq is distinct from stored.customer_order_seq
{% endif %}
