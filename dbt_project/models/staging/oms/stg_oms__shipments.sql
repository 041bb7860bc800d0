with

source as (

    select * from {{ source('oms', 'shipments') }}

),

renamed as (

    select
        -- ids
        shipment_id,
        order_number,

        -- text
        shipped_by,
        note,

        -- timestamps
        shipped_at

    from source

)

select * from renamed
