with

source as (

    select * from {{ source('oms', 'orders') }}

),

renamed as (

    select
        -- ids
        order_id,
        order_number,
        customer_code,
        external_ref,

        -- text
        channel,
        status,
        currency,
        note,
        created_by,

        -- numbers
        subtotal,
        tax_total,
        total,

        -- booleans
        status = 'cancelled' as is_cancelled,

        -- timestamps
        ordered_at,
        created_at,
        updated_at

    from source

)

select * from renamed
