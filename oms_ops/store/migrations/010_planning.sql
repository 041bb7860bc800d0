-- Planning data written back from the marts (issue 5): the customer tier computed from RFM and lifetime value,
-- with a history row per change, and the current set of reorder suggestions per warehouse and SKU.

create sequence seq_tier_change_id;
create table customer_tier_history (
    change_id bigint primary key default nextval('seq_tier_change_id'),
    customer_code varchar not null,
    from_tier varchar,
    to_tier varchar not null,
    source varchar not null,  -- 'rfm' for the pipeline's write-back
    as_of timestamptz,  -- the time of the data the tier was computed from
    changed_at timestamptz not null,
    actor varchar not null
);

-- Replaced as a whole by each write-back (one row per warehouse and SKU; the service keeps keys unique).
create table reorder_suggestions (
    warehouse_code varchar not null,
    sku varchar not null,
    suggested_qty bigint not null check (suggested_qty > 0),
    days_of_supply decimal(18, 1),
    reason varchar,
    as_of timestamptz not null,
    received_at timestamptz not null
);
