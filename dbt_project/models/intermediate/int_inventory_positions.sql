-- Per warehouse and SKU on the last day of the ledger: the stock, the demand over the last
-- var('demand_window_days') days, the average stock over those days and the last movement.
-- A table (computed once per run) rather than a view: its own tests and mart_inventory_health read it.
{{ config(materialized='table') }}

with

daily_stock as (

    select * from {{ ref('fct_daily_stock') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

movements as (

    select * from {{ ref('fct_stock_movements') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

as_of as (

    select max(stock_date) as as_of_date from daily_stock

),

latest as (

    select daily_stock.*
    from daily_stock
    inner join as_of
        on daily_stock.stock_date = as_of.as_of_date

),

window_stock as (

    select
        daily_stock.stock_level_id,
        avg(daily_stock.on_hand) as average_on_hand

    from daily_stock
    cross join as_of
    where daily_stock.stock_date > as_of.as_of_date - {{ var('demand_window_days') }}
    group by all

),

demand as (

    select
        order_lines.warehouse_code || ':' || order_lines.sku as stock_level_id,
        cast(sum(order_lines.quantity) as bigint) as units_demanded

    from order_lines
    cross join as_of
    where
        not order_lines.is_cancelled
        and order_lines.order_date > as_of.as_of_date - {{ var('demand_window_days') }}
        and order_lines.order_date <= as_of.as_of_date
    group by all

),

last_movements as (

    select
        stock_level_id,
        max(movement_date) as last_movement_date

    from movements
    group by stock_level_id

),

positions as (

    select
        -- ids
        latest.stock_level_id,
        latest.warehouse_code,
        latest.sku,

        -- text
        products.product_name,
        products.category,
        products.abc_class,

        -- numbers
        latest.on_hand,
        latest.reserved,
        latest.available,
        coalesce(demand.units_demanded, 0) as units_demanded,
        coalesce(window_stock.average_on_hand, 0) as average_on_hand,
        products.unit_cost,

        -- dates
        latest.stock_date as as_of_date,
        last_movements.last_movement_date

    from latest
    inner join products
        on latest.sku = products.sku
    left join demand
        on latest.stock_level_id = demand.stock_level_id
    left join window_stock
        on latest.stock_level_id = window_stock.stock_level_id
    left join last_movements
        on latest.stock_level_id = last_movements.stock_level_id

)

select * from positions
