-- One row per stock ledger entry. Incremental: entry ids only grow, so a run adds the entries after the last one.
{{
    config(
        materialized='incremental',
        unique_key='entry_id',
        incremental_strategy='delete+insert',
    )
}}

with

ledger as (

    select * from {{ ref('stg_oms__stock_ledger_entries') }}

    {% if is_incremental() %}
        where entry_id > (select coalesce(max(entry_id), -1) from {{ this }})
    {% endif %}

),

movements as (

    select
        -- ids
        entry_id,
        stock_level_id,
        warehouse_code,
        sku,
        order_number,

        -- text
        movement,
        actor,
        reason,

        -- numbers
        on_hand_delta,
        reserved_delta,
        greatest(on_hand_delta, 0) as units_in,
        greatest(-on_hand_delta, 0) as units_out,

        -- timestamps and dates
        occurred_at,
        {{ local_date('occurred_at') }} as movement_date

    from ledger

)

select * from movements
