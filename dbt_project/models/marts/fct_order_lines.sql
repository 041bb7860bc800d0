with

order_lines as (

    select * from {{ ref('stg_oms__order_lines') }}

),

orders as (

    select * from {{ ref('stg_oms__orders') }}

),

joined as (

    select
        -- ids
        order_lines.order_line_id,
        order_lines.order_number,
        order_lines.line_no,
        orders.customer_code,
        order_lines.sku,
        order_lines.warehouse_code,

        -- text
        orders.channel,
        orders.status,

        -- numbers
        order_lines.quantity,
        order_lines.unit_price,
        order_lines.discount_pct,
        order_lines.line_net as revenue,
        order_lines.line_tax as tax,
        cast(order_lines.quantity * order_lines.unit_cost as decimal(18, 2)) as cost,

        -- booleans
        orders.is_cancelled,

        -- timestamps and dates
        orders.ordered_at,
        {{ local_date('orders.ordered_at') }} as order_date

    from order_lines
    inner join orders
        on order_lines.order_number = orders.order_number

),

with_margin as (

    select
        *,
        cast(revenue - cost as decimal(18, 2)) as margin

    from joined

)

select * from with_margin
