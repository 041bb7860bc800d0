-- Every sold order line (cancelled orders left out) with what the Sales page filters and groups by: its local
-- day, week and month, channel, the customer's region and tier, the product's category, and the warehouse.
-- Stored in day order so a date range reads only the blocks it needs. Region, tier and category are the
-- current ones from the dimensions ('unknown' when missing).
--
-- Incremental by order (delete+insert on order_number), equal to a full refresh: a run builds again every order
-- whose lines fct_order_lines wrote after the newest it holds (loaded_at: new, amended, status changed), and
-- every order with a line of a customer or product whose name, region, tier or category in the dimensions is
-- no longer the one stored (the first-line flags are per order, so whole orders). Orders cancelled since are
-- deleted by the pre-hook (they have no sold lines to replace theirs). New days land at the end, so the day
-- order mostly holds (an amended old order's lines move to the end).
{{
    config(
        materialized='incremental',
        unique_key='order_number',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook="{{ delete_cancelled_sales_lines() if is_incremental() else '' }}",
    )
}}

{%- set stamped = incremental_table_has(['loaded_at']) %}

with

order_lines as (

    select * from {{ ref('fct_order_lines') }}
    where
        not is_cancelled
        {% if stamped %}
            and order_number in (
                select order_number from {{ ref('fct_order_lines') }}
                where loaded_at > (select coalesce(max(loaded_at), '-infinity'::timestamptz) from {{ this }})

                union

                select order_number from {{ ref('fct_order_lines') }}
                where
                    customer_code in (
                        select stored.customer_code
                        from (select distinct customer_code, customer_name, region, tier from {{ this }}) as stored
                        left join {{ ref('dim_customers') }} as customers
                            on stored.customer_code = customers.customer_code
                        where
                            stored.customer_name is distinct from customers.customer_name
                            or stored.region is distinct from coalesce(customers.region, 'unknown')
                            or stored.tier is distinct from coalesce(customers.tier, 'unknown')
                    )
                    or sku in (
                        select stored.sku
                        from (select distinct sku, product_name, category from {{ this }}) as stored
                        left join {{ ref('dim_products') }} as products
                            on stored.sku = products.sku
                        where
                            stored.product_name is distinct from products.product_name
                            or stored.category is distinct from coalesce(products.category, 'unknown')
                    )
            )
        {% endif %}

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

        -- timestamps and dates
        order_lines.loaded_at,
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
