-- Stock at the end of each local day per warehouse and SKU, from its first movement to the last day of the
-- ledger (days without movements carry the balance forward). Incremental: a run recomputes from the earliest
-- day touched by ledger entries it has not counted yet (or the last day it built, which may have been partial),
-- reading only the entries from that day on; the balance before that day is the one it built for the day before,
-- so the result equals a full refresh without summing the whole ledger again.
{{
    config(
        materialized='incremental',
        unique_key=['stock_level_id', 'stock_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

with

{% if is_incremental() %}

bounds as (

    select
        -- the earliest local day of the entries not counted yet, or the last day built (it may have been partial)
        least(
            coalesce(
                (
                    select {{ local_date('min(occurred_at)') }}
                    from {{ ref('stg_oms__stock_ledger_entries') }}
                    where entry_id > (select max(last_entry_id) from {{ this }})
                ),
                (select max(stock_date) from {{ this }})
            ),
            (select max(stock_date) from {{ this }})
        ) as first_day,
        {{ local_date('max(occurred_at)') }} as last_day

    from {{ ref('stg_oms__stock_ledger_entries') }}

),

{% else %}

bounds as (

    select
        {{ local_date('min(occurred_at)') }} as first_day,
        {{ local_date('max(occurred_at)') }} as last_day

    from {{ ref('stg_oms__stock_ledger_entries') }}

),

{% endif %}

movements as (

    -- on an incremental run only the entries from the first day rebuilt on (the UTC bound leaves a day's
    -- margin for the time zone)
    select
        entry_id,
        stock_level_id,
        warehouse_code,
        sku,
        on_hand_delta,
        reserved_delta,
        {{ local_date('occurred_at') }} as movement_date

    from {{ ref('stg_oms__stock_ledger_entries') }}
    {% if is_incremental() %}
        where occurred_at >= cast((select first_day from bounds) - 1 as timestamptz)
    {% endif %}

),

{% if is_incremental() %}

stock_keys as (

    -- the stock levels built so far (their first day is before the first day rebuilt) and the new ones
    select
        stock_level_id,
        warehouse_code,
        sku,
        min(first_movement_date) as first_movement_date

    from (
        select stock_level_id, warehouse_code, sku, stock_date as first_movement_date
        from {{ this }}
        where stock_date = (select first_day - 1 from bounds)

        union all

        select stock_level_id, warehouse_code, sku, movement_date
        from movements
    )
    group by all

),

opening as (

    -- the balance before the first day: the one built for the day before it, which counted every entry before
    -- it (entries are numbered in the order they were written); a stock level without one starts from zero
    select
        stock_level_id,
        on_hand,
        reserved,
        last_entry_id

    from {{ this }}
    where stock_date = (select first_day - 1 from bounds)

),

{% else %}

stock_keys as (

    select
        stock_level_id,
        warehouse_code,
        sku,
        min(movement_date) as first_movement_date

    from movements
    group by all

),

opening as (

    -- nothing before the first movement
    select
        stock_level_id,
        0 as on_hand,
        0 as reserved,
        cast(null as bigint) as last_entry_id

    from stock_keys
    where false

),

{% endif %}

daily_changes as (

    select
        movements.stock_level_id,
        movements.movement_date as stock_date,
        count(*) as movements,
        sum(greatest(movements.on_hand_delta, 0)) as units_in,
        sum(greatest(-movements.on_hand_delta, 0)) as units_out,
        sum(movements.on_hand_delta) as on_hand_delta,
        sum(movements.reserved_delta) as reserved_delta,
        max(movements.entry_id) as last_entry_id

    from movements
    cross join bounds
    where movements.movement_date >= bounds.first_day
    group by all

),

calendar as (

    select
        stock_keys.stock_level_id,
        stock_keys.warehouse_code,
        stock_keys.sku,
        cast(
            unnest(
                generate_series(
                    cast(greatest(stock_keys.first_movement_date, bounds.first_day) as timestamp),
                    cast(bounds.last_day as timestamp),
                    interval 1 day
                )
            ) as date
        ) as stock_date

    from stock_keys
    cross join bounds

),

filled as (

    select
        calendar.stock_level_id,
        calendar.warehouse_code,
        calendar.sku,
        calendar.stock_date,
        coalesce(daily_changes.movements, 0) as movements,
        coalesce(daily_changes.units_in, 0) as units_in,
        coalesce(daily_changes.units_out, 0) as units_out,
        coalesce(daily_changes.on_hand_delta, 0) as on_hand_delta,
        coalesce(daily_changes.reserved_delta, 0) as reserved_delta,
        daily_changes.last_entry_id,
        coalesce(opening.on_hand, 0) as opening_on_hand,
        coalesce(opening.reserved, 0) as opening_reserved,
        opening.last_entry_id as opening_last_entry_id

    from calendar
    left join daily_changes
        on
            calendar.stock_level_id = daily_changes.stock_level_id
            and calendar.stock_date = daily_changes.stock_date
    left join opening
        on calendar.stock_level_id = opening.stock_level_id

),

running as (

    select
        -- ids
        stock_level_id,
        warehouse_code,
        sku,

        -- numbers
        cast(movements as bigint) as movements,
        cast(units_in as bigint) as units_in,
        cast(units_out as bigint) as units_out,
        cast(
            opening_on_hand + sum(on_hand_delta) over (
                partition by stock_level_id order by stock_date rows unbounded preceding
            ) as bigint
        ) as on_hand,
        cast(
            opening_reserved + sum(reserved_delta) over (
                partition by stock_level_id order by stock_date rows unbounded preceding
            ) as bigint
        ) as reserved,
        -- the newest ledger entry counted in this day's balance: where the next incremental run picks up
        greatest(
            coalesce(
                max(last_entry_id) over (partition by stock_level_id order by stock_date rows unbounded preceding),
                0
            ),
            coalesce(opening_last_entry_id, 0)
        ) as last_entry_id,

        -- dates
        stock_date

    from filled

),

final as (

    select
        stock_level_id,
        warehouse_code,
        sku,
        movements,
        units_in,
        units_out,
        on_hand,
        reserved,
        on_hand - reserved as available,
        last_entry_id,
        stock_date,
        -- when this dbt run wrote the row (its tests but the key's read the newest: macros/get_where_subquery.sql)
        cast('{{ run_started_at.isoformat() }}' as timestamptz) as loaded_at

    from running

)

select * from final
