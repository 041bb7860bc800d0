-- Sales per local day (var `reporting_timezone`, Asia/Shanghai) and channel, cancelled orders left out.

with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

sold as (

    select * from order_lines
    where not is_cancelled

),

daily as (

    select
        order_date as sales_date,
        channel,
        count(distinct order_number) as orders,
        count(*) as order_lines,
        cast(sum(quantity) as bigint) as units,
        cast(sum(revenue) as decimal(18, 2)) as revenue,
        cast(sum(cost) as decimal(18, 2)) as cost,
        cast(sum(margin) as decimal(18, 2)) as margin

    from sold
    group by order_date, channel

)

select * from daily
