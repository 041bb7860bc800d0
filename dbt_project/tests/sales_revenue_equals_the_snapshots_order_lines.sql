-- Reconciliation: revenue in the daily sales mart equals the net amount of the snapshot's order lines of
-- orders that were not cancelled, in total and per channel. Fails with the channels that differ.

with

mart as (

    select
        channel,
        sum(revenue) as revenue

    from {{ ref('mart_sales_daily') }}
    group by channel

),

snapshot as (

    select
        orders.channel,
        sum(order_lines.line_net) as revenue

    from {{ source('oms', 'order_lines') }} as order_lines
    inner join {{ source('oms', 'orders') }} as orders
        on order_lines.order_number = orders.order_number
    where orders.status != 'cancelled'
    group by orders.channel

)

select
    coalesce(mart.channel, snapshot.channel) as channel,
    mart.revenue as mart_revenue,
    snapshot.revenue as snapshot_revenue

from mart
full outer join snapshot
    on mart.channel = snapshot.channel
where coalesce(mart.revenue, 0) != coalesce(snapshot.revenue, 0)
