with

source as (

    select * from {{ source('oms', 'customers') }}

),

renamed as (

    select
        -- ids
        customer_id,
        customer_code,

        -- text
        name as customer_name,
        name_en as customer_name_en,
        tier,
        region,
        city,
        email,
        phone,
        gln,

        -- numbers
        credit_limit,
        payment_terms_days,

        -- timestamps
        created_at

    from source

)

select * from renamed
