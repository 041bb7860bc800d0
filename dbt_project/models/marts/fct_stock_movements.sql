-- One row per stock ledger entry. Incremental: entry ids only grow, so a run adds the entries after the last one.
{{
    config(
        materialized='incremental',
        unique_key='entry_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
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
        {{ local_date('occurred_at') }} as movement_date,
        -- when this dbt run wrote the row (its tests but the key's read the newest: macros/get_where_subquery.sql)
        cast('{{ run_started_at.isoformat() }}' as timestamptz) as loaded_at

    from ledger

)

select * from movements
