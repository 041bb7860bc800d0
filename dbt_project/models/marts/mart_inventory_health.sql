-- Inventory health per warehouse and SKU on the last day of the ledger. Rules and their vars in dbt_project.yml:
-- days of supply = available / average daily demand (over demand_window_days); stock-out risk when available
-- is at or below the reorder point (demand over lead_time_days + safety stock); dead when nothing moved for
-- dead_stock_days; excess when cover exceeds excess_days_of_supply.

with

positions as (

    select * from {{ ref('int_inventory_positions') }}

),

demand as (

    select
        *,
        cast(units_demanded / {{ var('demand_window_days') }} as decimal(18, 4)) as average_daily_demand,
        as_of_date - last_movement_date as days_since_last_movement

    from positions

),

cover as (

    select
        *,
        case
            when average_daily_demand > 0
                then cast(available / average_daily_demand as decimal(18, 1))
        end as days_of_supply,
        case
            when average_on_hand > 0
                then cast(units_demanded / average_on_hand as decimal(18, 2))
        end as turnover,
        cast(ceil(average_daily_demand * {{ var('safety_stock_days') }}) as bigint) as safety_stock,
        cast(
            ceil(average_daily_demand * {{ var('lead_time_days') }})
            + ceil(average_daily_demand * {{ var('safety_stock_days') }}) as bigint
        ) as reorder_point

    from demand

),

flagged as (

    select
        *,
        average_daily_demand > 0 and available <= reorder_point as is_stockout_risk,
        on_hand > 0
        and (
            last_movement_date is null
            or days_since_last_movement >= {{ var('dead_stock_days') }}
        ) as is_dead_stock

    from cover

),

classified as (

    select
        *,
        not is_dead_stock
        and on_hand > 0
        and (days_of_supply is null or days_of_supply > {{ var('excess_days_of_supply') }}) as is_excess_stock,
        case
            when is_stockout_risk
                then cast(
                    reorder_point
                    + ceil(average_daily_demand * {{ var('order_cover_days') }})
                    - available as bigint
                )
            else 0
        end as suggested_reorder_qty

    from flagged

),

final as (

    select
        -- ids
        stock_level_id,
        warehouse_code,
        sku,

        -- text
        product_name,
        category,
        abc_class,
        case
            when is_dead_stock then 'dead'
            when is_stockout_risk then 'stock-out risk'
            when is_excess_stock then 'excess'
            else 'healthy'
        end as stock_status,

        -- numbers
        on_hand,
        reserved,
        available,
        units_demanded,
        average_daily_demand,
        days_of_supply,
        turnover,
        safety_stock,
        reorder_point,
        suggested_reorder_qty,
        days_since_last_movement,
        cast(on_hand * unit_cost as decimal(18, 2)) as stock_value,
        case
            when is_excess_stock
                then cast(
                    greatest(
                        on_hand - ceil(average_daily_demand * {{ var('excess_days_of_supply') }}), 0
                    ) as bigint
                )
            when is_dead_stock then on_hand
            else 0
        end as excess_units,

        -- booleans
        is_stockout_risk,
        is_dead_stock,
        is_excess_stock,

        -- dates
        as_of_date,
        last_movement_date

    from classified

)

select * from final
