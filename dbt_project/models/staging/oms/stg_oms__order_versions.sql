with

source as (

    select * from {{ source('oms', 'order_versions') }}

),

renamed as (

    select
        -- ids
        order_number || '-' || version as order_version_id,
        order_number,

        -- text
        status,
        reason,
        created_by,

        -- numbers
        version,
        subtotal,
        tax_total,
        total,

        -- json documents: the header and the lines as they stood
        header,
        lines,

        -- timestamps
        created_at

    from source

)

select * from renamed
