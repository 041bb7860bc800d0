with

orders as (

    select * from {{ ref('stg_oms__orders') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

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
        {{ local_date('orders.ordered_at') }} as order_date

    from orders
    left join line_totals
        on orders.order_number = line_totals.order_number

),

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

    from joined

),

flagged as (

    select
        *,
        coalesce(customer_order_seq = 1, false) as is_first_order

    from customer_sequence

)

select * from flagged
