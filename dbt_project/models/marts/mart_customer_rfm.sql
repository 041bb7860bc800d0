-- Recency, frequency and monetary scores (1-5, 5 best, by ntile over the customers who ordered), a segment,
-- lifetime value, the usual reorder interval (median days between orders) and churn risk: the customer has
-- not ordered for longer than var('churn_overdue_factor') times that interval. Cancelled orders do not count;
-- "today" is the last order day in the data, so a rebuild of old data gives the same answer.

with

orders as (

    select * from {{ ref('fct_orders') }}
    where not is_cancelled

),

customers as (

    select * from {{ ref('dim_customers') }}

),

as_of as (

    select max(order_date) as as_of_date from orders

),

order_gaps as (

    select
        customer_code,
        order_date,
        revenue,
        order_date - lag(order_date) over (
            partition by customer_code order by order_date, order_number
        ) as days_since_previous_order

    from orders

),

per_customer as (

    select
        customer_code,
        count(*) as frequency,
        cast(sum(revenue) as decimal(18, 2)) as monetary,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        median(days_since_previous_order) as usual_reorder_interval_days

    from order_gaps
    group by customer_code

),

measured as (

    select
        per_customer.*,
        as_of.as_of_date,
        as_of.as_of_date - per_customer.last_order_date as recency_days

    from per_customer
    cross join as_of

),

scored as (

    select
        *,
        -- ties go to the customer who is better on the other measures, then by code (stable scores)
        ntile(5) over (order by recency_days desc, frequency, monetary, customer_code) as recency_score,
        ntile(5) over (order by frequency, monetary, recency_days desc, customer_code) as frequency_score,
        ntile(5) over (order by monetary, frequency, recency_days desc, customer_code) as monetary_score

    from measured

),

segmented as (

    select
        *,
        case
            when recency_score >= 4 and frequency_score >= 4 then 'champions'
            when recency_score >= 3 and frequency_score >= 3 then 'loyal'
            when recency_score >= 4 then 'promising'
            when recency_score <= 2 and frequency_score >= 3 then 'at risk'
            when recency_score = 1 then 'lost'
            else 'needs attention'
        end as segment,
        case
            when usual_reorder_interval_days is not null
                then last_order_date + cast(ceil(usual_reorder_interval_days) as integer)
        end as next_order_due_date,
        coalesce(
            recency_days > usual_reorder_interval_days * {{ var('churn_overdue_factor') }},
            false
        ) as is_churn_risk

    from scored

),

final as (

    select
        -- ids
        segmented.customer_code,

        -- text
        customers.customer_name,
        customers.tier,
        customers.region,
        segmented.segment,
        cast(segmented.recency_score as varchar)
        || cast(segmented.frequency_score as varchar)
        || cast(segmented.monetary_score as varchar) as rfm_code,

        -- numbers
        cast(segmented.recency_score as integer) as recency_score,
        cast(segmented.frequency_score as integer) as frequency_score,
        cast(segmented.monetary_score as integer) as monetary_score,
        segmented.recency_days,
        segmented.frequency,
        segmented.monetary,
        segmented.monetary as lifetime_value,
        cast(segmented.usual_reorder_interval_days as decimal(10, 1)) as usual_reorder_interval_days,

        -- booleans
        segmented.is_churn_risk,

        -- dates
        segmented.first_order_date,
        segmented.last_order_date,
        segmented.next_order_due_date,
        segmented.as_of_date

    from segmented
    inner join customers
        on segmented.customer_code = customers.customer_code

)

select * from final
