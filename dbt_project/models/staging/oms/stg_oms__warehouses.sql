with

source as (

    select * from {{ source('oms', 'warehouses') }}

),

renamed as (

    select
        -- ids
        warehouse_code,

        -- text
        name as warehouse_name,
        region,
        city,

        -- timestamps
        created_at

    from source

)

select * from renamed
