-- Basket affinity between product categories over the last var('basket_window_days') days of sales (up to the
-- last sales day): for each ordered pair of categories (A, B) that were bought together at least once,
-- support = orders with both / all orders, confidence = orders with both / orders with A (how often a basket
-- with A also holds B), lift = confidence / share of orders with B (above 1: bought together more than chance).

with

sales_lines as (

    select * from {{ ref('mart_sales_lines') }}

),

as_of as (

    select max(sales_date) as as_of_date from sales_lines

),

baskets as (

    select distinct
        sales_lines.order_number,
        sales_lines.category

    from sales_lines
    cross join as_of
    where sales_lines.sales_date > as_of.as_of_date - {{ var('basket_window_days') }}

),

all_orders as (

    select count(distinct order_number) as orders from baskets

),

category_orders as (

    select
        category,
        count(*) as orders

    from baskets
    group by category

),

pairs as (

    select
        antecedent.category as antecedent_category,
        consequent.category as consequent_category,
        count(*) as orders_with_both

    from baskets as antecedent
    inner join baskets as consequent
        on
            antecedent.order_number = consequent.order_number
            and antecedent.category != consequent.category
    group by all

),

measured as (

    select
        -- ids
        pairs.antecedent_category || ' -> ' || pairs.consequent_category as category_pair_id,
        pairs.antecedent_category,
        pairs.consequent_category,

        -- numbers
        cast(pairs.orders_with_both as bigint) as orders_with_both,
        cast(antecedent.orders as bigint) as orders_with_antecedent,
        cast(consequent.orders as bigint) as orders_with_consequent,
        cast(all_orders.orders as bigint) as orders_in_window,
        cast(pairs.orders_with_both / all_orders.orders as decimal(9, 4)) as support,
        cast(pairs.orders_with_both / antecedent.orders as decimal(9, 4)) as confidence,
        cast(
            (pairs.orders_with_both / antecedent.orders) / (consequent.orders / all_orders.orders) as decimal(12, 4)
        ) as lift,

        -- dates
        as_of.as_of_date - {{ var('basket_window_days') }} + 1 as window_start_date,
        as_of.as_of_date

    from pairs
    inner join category_orders as antecedent
        on pairs.antecedent_category = antecedent.category
    inner join category_orders as consequent
        on pairs.consequent_category = consequent.category
    cross join all_orders
    cross join as_of

)

select * from measured
