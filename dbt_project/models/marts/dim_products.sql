with

products as (

    select * from {{ ref('stg_oms__products') }}

),

stock_levels as (

    select * from {{ ref('stg_oms__stock_levels') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

product_revenue as (

    select
        sku,
        cast(sum(revenue) as decimal(18, 2)) as lifetime_revenue

    from order_lines
    where not is_cancelled
    group by sku

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
        coalesce(product_revenue.lifetime_revenue, 0) as lifetime_revenue,

        -- booleans
        products.is_active,

        -- timestamps
        products.created_at

    from products
    left join stock
        on products.sku = stock.sku
    left join product_revenue
        on products.sku = product_revenue.sku

),

ranked as (

    select
        *,
        -- share of all revenue of the products that sell more than this one (ties by SKU)
        coalesce(
            sum(lifetime_revenue) over (
                order by lifetime_revenue desc, sku rows between unbounded preceding and 1 preceding
            ) / nullif(sum(lifetime_revenue) over (), 0),
            0
        ) as revenue_share_before

    from joined

),

classified as (

    select
        * exclude (revenue_share_before),
        cast(
            lifetime_revenue / nullif(sum(lifetime_revenue) over (), 0) as decimal(9, 6)
        ) as revenue_share,
        case
            when lifetime_revenue <= 0 then 'C'
            when revenue_share_before < {{ var('abc_a_share') }} then 'A'
            when revenue_share_before < {{ var('abc_b_share') }} then 'B'
            else 'C'
        end as abc_class

    from ranked

)

select * from classified
