with

products as (

    select * from {{ ref('stg_oms__products') }}

),

stock_levels as (

    select * from {{ ref('stg_oms__stock_levels') }}

),

stock as (

    select
        sku,
        cast(sum(on_hand) as bigint) as on_hand,
        cast(sum(reserved) as bigint) as reserved,
        cast(sum(available) as bigint) as available

    from stock_levels
    group by sku

),

joined as (

    select
        -- ids
        products.sku,
        products.product_id,
        products.gtin,

        -- text
        products.product_name,
        products.category,
        products.unit,

        -- numbers
        products.list_price,
        products.unit_cost,
        products.tax_rate,
        coalesce(stock.on_hand, 0) as on_hand,
        coalesce(stock.reserved, 0) as reserved,
        coalesce(stock.available, 0) as available,

        -- booleans
        products.is_active,

        -- timestamps
        products.created_at

    from products
    left join stock
        on products.sku = stock.sku

)

select * from joined
