with

source as (

    select * from {{ source('oms', 'order_events') }}

),

renamed as (

    select
        -- ids
        event_id,
        order_number,

        -- text
        from_status,
        to_status,
        actor,
        reason,

        -- timestamps
        occurred_at

    from source

)

select * from renamed
