-- The first-line flags of mart_sales_lines count each order exactly once: per category, per product and in
-- total, summing a flag gives the same as counting distinct orders. Fails with the groups that differ.
-- Over the whole table: in full builds and the nightly refresh, not the hourly one (tag whole_history).
{{ config(tags=['whole_history']) }}

with

lines as (

    select * from {{ ref('mart_sales_lines') }}

),

per_category as (

    select
        'category ' || category as sales_group,
        count(*) filter (where is_first_line_of_category) as flagged,
        count(distinct order_number) as distinct_orders

    from lines
    group by category

),

per_product as (

    select
        'product ' || sku as sales_group,
        count(*) filter (where is_first_line_of_product) as flagged,
        count(distinct order_number) as distinct_orders

    from lines
    group by sku

),

overall as (

    select
        'all' as sales_group,
        count(*) filter (where is_first_line_of_order) as flagged,
        count(distinct order_number) as distinct_orders

    from lines

)

select * from (
    select * from per_category
    union all
    select * from per_product
    union all
    select * from overall
)
where flagged != distinct_orders
