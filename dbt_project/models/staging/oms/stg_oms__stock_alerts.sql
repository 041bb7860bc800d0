with

source as (

    select * from {{ source('oms', 'stock_alerts') }}

),

renamed as (

    select
        -- ids
        alert_id as stock_alert_id,
        warehouse_code,
        sku,

        -- numbers
        available_at_open,
        safety_stock,
        reorder_point,
        inbound_at_open,
        suggested_reorder,

        -- booleans
        closed_at is null as is_open,

        -- timestamps
        opened_at,
        closed_at

    from source

)

select * from renamed
