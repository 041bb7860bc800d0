with

source as (

    select * from {{ source('oms', 'stock_levels') }}

),

renamed as (

    select
        -- ids
        warehouse_code || ':' || sku as stock_level_id,
        warehouse_code,
        sku,

        -- numbers
        on_hand,
        reserved,
        on_hand - reserved as available,

        -- timestamps
        updated_at

    from source

)

select * from renamed
