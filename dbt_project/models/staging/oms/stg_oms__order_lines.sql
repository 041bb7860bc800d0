with

source as (

    select * from {{ source('oms', 'order_lines') }}

),

renamed as (

    select
        -- ids
        order_number || '-' || line_no as order_line_id,
        order_number,
        line_no,
        sku,
        warehouse_code,

        -- numbers
        quantity,
        unit_price,
        discount_pct,
        tax_rate,
        unit_cost,
        line_net,
        line_tax,
        line_total

    from source

)

select * from renamed
