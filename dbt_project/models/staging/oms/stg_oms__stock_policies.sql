with

source as (

    select * from {{ source('oms', 'stock_policies') }}

),

renamed as (

    select
        -- ids
        warehouse_code || ':' || sku as stock_level_id,
        warehouse_code,
        sku,

        -- text
        updated_by,

        -- numbers
        safety_stock,
        reorder_point,
        lead_time_days,

        -- timestamps
        updated_at

    from source

)

select * from renamed
