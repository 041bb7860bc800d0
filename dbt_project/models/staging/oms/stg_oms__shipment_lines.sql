with

source as (

    select * from {{ source('oms', 'shipment_lines') }}

),

renamed as (

    select
        -- ids
        shipment_id || '-' || line_no as shipment_line_id,
        shipment_id,
        order_number,
        order_number || '-' || line_no as order_line_id,
        line_no,
        sku,
        warehouse_code,

        -- numbers
        quantity

    from source

)

select * from renamed
