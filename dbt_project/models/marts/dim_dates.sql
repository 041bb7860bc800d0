-- The calendar: one row per local day from 1 January of the year before the first order or stock movement to
-- 31 December of the year of the last one (so every fact's date and its day last year are here).
-- same_day_last_year is the date one year earlier (29 February -> 28 February); is_spring_festival marks the
-- Chinese New Year holiday, approximately New Year's Eve to the sixth day (the official days vary a little).

with

moments as (

    -- the first and last instants only: the local date of the earliest instant is the earliest local date
    select min(ordered_at) as first_at, max(ordered_at) as last_at from {{ ref('stg_oms__orders') }}
    union all
    select min(occurred_at), max(occurred_at) from {{ ref('stg_oms__stock_ledger_entries') }}

),

bounds as (

    select
        cast(date_trunc('year', {{ local_date('min(first_at)') }}) - interval 1 year as date) as first_day,
        cast(
            date_trunc('year', {{ local_date('max(last_at)') }}) + interval 1 year - interval 1 day as date
        ) as last_day

    from moments

),

spine as (

    select
        cast(unnest(generate_series(cast(first_day as timestamp), cast(last_day as timestamp), interval 1 day)) as date)
            as date_day

    from bounds

),

chinese_new_year as (

    select
        cast(new_year_day as date) as new_year_day,
        year(cast(new_year_day as date)) as year

    from (
        values
        ('2018-02-16'), ('2019-02-05'), ('2020-01-25'), ('2021-02-12'), ('2022-02-01'), ('2023-01-22'),
        ('2024-02-10'), ('2025-01-29'), ('2026-02-17'), ('2027-02-06'), ('2028-01-26'), ('2029-02-13'),
        ('2030-02-03'), ('2031-01-23'), ('2032-02-11'), ('2033-01-31'), ('2034-02-19'), ('2035-02-08')
    ) as days (new_year_day)

),

calendar as (

    select
        -- ids
        spine.date_day,

        -- text
        strftime(spine.date_day, '%Y-%m') as year_month,
        strftime(spine.date_day, '%G-W%V') as iso_year_week,
        dayname(spine.date_day) as day_name,
        monthname(spine.date_day) as month_name,

        -- numbers
        cast(year(spine.date_day) as integer) as year,
        cast(quarter(spine.date_day) as integer) as quarter,
        cast(month(spine.date_day) as integer) as month,
        cast(day(spine.date_day) as integer) as day_of_month,
        cast(isodow(spine.date_day) as integer) as iso_day_of_week,
        cast(dayofyear(spine.date_day) as integer) as day_of_year,
        cast(isoyear(spine.date_day) as integer) as iso_year,
        cast(week(spine.date_day) as integer) as iso_week,

        -- booleans
        isodow(spine.date_day) >= 6 as is_weekend,
        month(spine.date_day) = 2 and day(spine.date_day) = 29 as is_leap_day,
        coalesce(spine.date_day = chinese_new_year.new_year_day, false) as is_chinese_new_year,
        coalesce(
            spine.date_day between chinese_new_year.new_year_day - 1 and chinese_new_year.new_year_day + 6,
            false
        ) as is_spring_festival,

        -- dates
        cast(date_trunc('week', spine.date_day) as date) as week_start,
        cast(date_trunc('month', spine.date_day) as date) as month_start,
        cast(date_trunc('quarter', spine.date_day) as date) as quarter_start,
        cast(date_trunc('year', spine.date_day) as date) as year_start,
        cast(spine.date_day - interval 1 year as date) as same_day_last_year,
        chinese_new_year.new_year_day as chinese_new_year_day

    from spine
    left join chinese_new_year
        on year(spine.date_day) = chinese_new_year.year

)

select * from calendar
