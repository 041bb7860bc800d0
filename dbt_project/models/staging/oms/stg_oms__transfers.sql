with

source as (

    select * from {{ source('oms', 'transfers') }}

),

renamed as (

    select
        -- ids
        transfer_id,
        from_warehouse as from_warehouse_code,
        to_warehouse as to_warehouse_code,

        -- text
        status,
        note,
        requested_by,
        shipped_by,
        cancelled_by,

        -- dates and timestamps
        expected_arrival,
        requested_at,
        shipped_at,
        received_at,
        cancelled_at

    from source

)

select * from renamed
