-- One row per warehouse with how many SKUs it stocks and its units on hand (from the snapshot's stock levels).

with

warehouses as (

    select * from {{ ref('stg_oms__warehouses') }}

),

stock_levels as (

    select * from {{ ref('stg_oms__stock_levels') }}

),

stock as (

    select
        warehouse_code,
        count(*) filter (where on_hand > 0) as skus_in_stock,
        cast(sum(on_hand) as bigint) as on_hand,
        cast(sum(reserved) as bigint) as reserved

    from stock_levels
    group by warehouse_code

),

joined as (

    select
        -- ids
        warehouses.warehouse_code,

        -- text
        warehouses.warehouse_name,
        coalesce(warehouses.region, 'unknown') as region,
        warehouses.city,

        -- numbers
        coalesce(stock.skus_in_stock, 0) as skus_in_stock,
        coalesce(stock.on_hand, 0) as on_hand,
        coalesce(stock.reserved, 0) as reserved,

        -- timestamps
        warehouses.created_at

    from warehouses
    left join stock
        on warehouses.warehouse_code = stock.warehouse_code

)

select * from joined
