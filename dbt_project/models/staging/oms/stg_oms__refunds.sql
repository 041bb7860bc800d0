with

source as (

    select * from {{ source('oms', 'refunds') }}

),

renamed as (

    select
        -- ids
        refund_id,
        order_number,

        -- text
        status,
        reason,
        created_by,

        -- numbers
        amount,

        -- booleans
        status = 'due' as is_due,

        -- timestamps
        created_at

    from source

)

select * from renamed
