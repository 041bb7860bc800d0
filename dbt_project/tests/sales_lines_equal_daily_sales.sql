-- Reconciliation: the sold lines behind the Sales page add up to the daily sales mart, per day and channel
-- (orders, counted by the first-line flag the page uses, units, revenue and margin). Fails with the days and
-- channels that differ.

with

lines as (

    select
        sales_date,
        channel,
        count(*) filter (where is_first_line_of_order) as orders,
        sum(quantity) as units,
        sum(revenue) as revenue,
        sum(margin) as margin

    from {{ ref('mart_sales_lines') }}
    group by all

),

daily as (

    select * from {{ ref('mart_sales_daily') }}

)

select
    coalesce(lines.sales_date, daily.sales_date) as sales_date,
    coalesce(lines.channel, daily.channel) as channel,
    lines.revenue as lines_revenue,
    daily.revenue as daily_revenue

from lines
full outer join daily
    on lines.sales_date = daily.sales_date and lines.channel = daily.channel
where
    lines.orders is distinct from daily.orders
    or lines.units is distinct from daily.units
    or lines.revenue is distinct from daily.revenue
    or lines.margin is distinct from daily.margin
