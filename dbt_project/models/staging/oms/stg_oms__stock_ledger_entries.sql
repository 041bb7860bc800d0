with

source as (

    select * from {{ source('oms', 'stock_ledger') }}

),

renamed as (

    select
        -- ids
        entry_id,
        warehouse_code || ':' || sku as stock_level_id,
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

        -- timestamps
        occurred_at

    from source

)

select * from renamed
