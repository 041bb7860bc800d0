with

source as (

    select * from {{ source('oms', 'products') }}

),

renamed as (

    select
        -- ids
        product_id,
        sku,
        gtin,

        -- text
        name as product_name,
        category,
        unit,

        -- numbers
        list_price,
        cost as unit_cost,
        tax_rate,

        -- booleans
        is_active,

        -- timestamps
        created_at

    from source

)

select * from renamed
