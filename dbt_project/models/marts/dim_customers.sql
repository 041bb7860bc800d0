with

customers as (

    select * from {{ ref('stg_oms__customers') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

order_history as (

    select
        customer_code,
        count(*) as lifetime_orders,
        cast(sum(revenue) as decimal(18, 2)) as lifetime_revenue,
        cast(sum(margin) as decimal(18, 2)) as lifetime_margin,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as last_ordered_at

    from orders
    where not is_cancelled
    group by customer_code

),

joined as (

    select
        -- ids
        customers.customer_code,
        customers.customer_id,

        -- text
        customers.customer_name,
        customers.customer_name_en,
        customers.tier,
        customers.region,
        customers.city,

        -- numbers
        customers.credit_limit,
        customers.payment_terms_days,
        coalesce(order_history.lifetime_orders, 0) as lifetime_orders,
        coalesce(order_history.lifetime_revenue, 0) as lifetime_revenue,
        coalesce(order_history.lifetime_margin, 0) as lifetime_margin,

        -- booleans
        order_history.customer_code is not null as has_ordered,

        -- timestamps
        customers.created_at,
        order_history.first_ordered_at,
        order_history.last_ordered_at

    from customers
    left join order_history
        on customers.customer_code = order_history.customer_code

)

select * from joined
