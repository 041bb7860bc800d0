-- Monthly cohorts: customers grouped by the month of their first order (not cancelled), and per month since
-- then how many of them ordered and what they spent. Every month up to the last month of data is present,
-- with zero when nobody of the cohort ordered.

with

orders as (

    select * from {{ ref('fct_orders') }}
    where not is_cancelled

),

customer_months as (

    select
        customer_code,
        cast(date_trunc('month', order_date) as date) as order_month,
        cast(sum(revenue) as decimal(18, 2)) as revenue

    from orders
    group by all

),

first_months as (

    select
        customer_code,
        min(order_month) as cohort_month

    from customer_months
    group by customer_code

),

cohort_sizes as (

    select
        cohort_month,
        count(*) as cohort_customers

    from first_months
    group by cohort_month

),

last_month as (

    select max(order_month) as last_month from customer_months

),

grid as (

    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_customers,
        cast(
            unnest(
                generate_series(
                    cast(cohort_sizes.cohort_month as timestamp),
                    cast(last_month.last_month as timestamp),
                    interval 1 month
                )
            ) as date
        ) as activity_month

    from cohort_sizes
    cross join last_month

),

activity as (

    select
        first_months.cohort_month,
        customer_months.order_month as activity_month,
        count(*) as active_customers,
        cast(sum(customer_months.revenue) as decimal(18, 2)) as revenue

    from customer_months
    inner join first_months
        on customer_months.customer_code = first_months.customer_code
    group by all

),

final as (

    select
        -- ids
        strftime(grid.cohort_month, '%Y-%m') || '+' || cast(
            datediff('month', grid.cohort_month, grid.activity_month) as varchar
        ) as cohort_period_id,

        -- numbers
        cast(datediff('month', grid.cohort_month, grid.activity_month) as integer) as months_since_first_order,
        cast(grid.cohort_customers as bigint) as cohort_customers,
        cast(coalesce(activity.active_customers, 0) as bigint) as active_customers,
        cast(coalesce(activity.active_customers, 0) / grid.cohort_customers as decimal(9, 4)) as retention_rate,
        coalesce(activity.revenue, 0) as revenue,

        -- dates
        grid.cohort_month,
        grid.activity_month

    from grid
    left join activity
        on
            grid.cohort_month = activity.cohort_month
            and grid.activity_month = activity.activity_month

)

select * from final
