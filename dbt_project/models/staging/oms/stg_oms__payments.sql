with

source as (

    select * from {{ source('oms', 'payments') }}

),

renamed as (

    select
        -- ids
        payment_id,
        order_number,

        -- text
        method as payment_method,
        reference,
        recorded_by,

        -- numbers
        amount,

        -- dates and timestamps
        paid_on,
        recorded_at

    from source

)

select * from renamed
