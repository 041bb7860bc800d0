-- Every sold order line (cancelled orders left out) with what the Sales page filters and groups by: its local
-- day, week and month, channel, the customer's region and tier, the product's category, and the warehouse.
-- Stored in day order so a date range reads only the blocks it needs. Region, tier and category are the
-- current ones from the dimensions ('unknown' when missing).

with

order_lines as (

    select * from {{ ref('fct_order_lines') }}
    where not is_cancelled

),

customers as (

    select * from {{ ref('dim_customers') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

dates as (

    select * from {{ ref('dim_dates') }}

),

joined as (

    select
        -- ids
        order_lines.order_line_id,
        order_lines.order_number,
        order_lines.customer_code,
        order_lines.sku,
        order_lines.warehouse_code,

        -- text
        order_lines.channel,
        coalesce(customers.region, 'unknown') as region,
        coalesce(customers.tier, 'unknown') as tier,
        coalesce(products.category, 'unknown') as category,
        customers.customer_name,
        products.product_name,

        -- numbers
        order_lines.quantity,
        order_lines.revenue,
        order_lines.cost,
        order_lines.margin,

        -- dates
        order_lines.order_date as sales_date,
        dates.week_start,
        dates.month_start

    from order_lines
    left join customers
        on order_lines.customer_code = customers.customer_code
    left join products
        on order_lines.sku = products.sku
    left join dates
        on order_lines.order_date = dates.date_day

),

flagged as (

    -- Each order counted once without distinct counts (the costly part of the page's queries): its first line,
    -- its first line in each category and its first line of each product. Channel, region and tier belong to
    -- the order, so any filter on them keeps or drops all of an order's lines together.
    select
        *,
        lag(order_line_id) over by_order is null as is_first_line_of_order,
        lag(category) over by_order is distinct from category as is_first_line_of_category,
        lag(sku) over by_order is distinct from sku as is_first_line_of_product

    from joined
    window by_order as (partition by order_number order by category, sku, order_line_id)

),

ordered as (

    select * from flagged
    order by sales_date, order_number, order_line_id

)

select * from ordered
