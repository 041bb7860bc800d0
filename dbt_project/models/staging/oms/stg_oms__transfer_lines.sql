with

source as (

    select * from {{ source('oms', 'transfer_lines') }}

),

renamed as (

    select
        -- ids
        transfer_id || '-' || line_no as transfer_line_id,
        transfer_id,
        line_no,
        sku,

        -- numbers
        quantity,
        shipped as shipped_quantity,
        received as received_quantity,
        shipped - received as in_transit_quantity

    from source

)

select * from renamed
