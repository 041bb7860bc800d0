-- Reconciliation: the daily stock mart on its last day holds exactly the snapshot's stock levels.
-- Fails on every warehouse and SKU where on-hand or reserved differ (or that only one side has).

with

last_day as (

    select * from {{ ref('fct_daily_stock') }}
    where stock_date = (select max(stock_date) from {{ ref('fct_daily_stock') }})

),

snapshot as (

    select * from {{ ref('stg_oms__stock_levels') }}

)

select
    coalesce(last_day.stock_level_id, snapshot.stock_level_id) as stock_level_id,
    last_day.on_hand as mart_on_hand,
    snapshot.on_hand as snapshot_on_hand,
    last_day.reserved as mart_reserved,
    snapshot.reserved as snapshot_reserved

from last_day
full outer join snapshot
    on last_day.stock_level_id = snapshot.stock_level_id
where
    coalesce(last_day.on_hand, 0) is distinct from coalesce(snapshot.on_hand, 0)
    or coalesce(last_day.reserved, 0) is distinct from coalesce(snapshot.reserved, 0)
