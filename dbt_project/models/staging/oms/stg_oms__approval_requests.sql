with

source as (

    select * from {{ source('oms', 'approval_requests') }}

),

renamed as (

    select
        -- ids
        request_id as approval_request_id,
        order_number,
        rule_id as approval_rule_id,

        -- text
        rule_name,
        condition_kind,
        roles as approver_roles,
        why,
        status,
        requested_by,
        decided_by,
        comment,

        -- numbers
        version as order_version,
        level as approval_level,

        -- booleans
        status = 'pending' as is_pending,

        -- timestamps
        requested_at,
        decided_at

    from source

)

select * from renamed
