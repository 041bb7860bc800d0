-- Stock operations: safety stock and reorder points, transfers between warehouses, expected receipts
-- (what arrives when), and safety-stock alerts raised once per crossing.
-- The policy is a table of its own rather than columns on stock_levels: DuckDB cannot add columns
-- with constraints to a table that has them, and the hot reservation path never needs to read it.

create table stock_policies (
    warehouse_code varchar not null,
    sku varchar not null,
    safety_stock bigint not null default 0 check (safety_stock >= 0),
    reorder_point bigint not null default 0 check (reorder_point >= 0),
    lead_time_days integer not null default 7 check (lead_time_days >= 0),
    updated_by varchar not null,
    updated_at timestamptz not null,
    primary key (warehouse_code, sku)
);

create sequence seq_transfer_id;
create table transfers (
    transfer_id bigint primary key default nextval('seq_transfer_id'),
    from_warehouse varchar not null,
    to_warehouse varchar not null,
    status varchar not null,  -- requested, in_transit, partially_received, received, cancelled
    expected_arrival date not null,
    note varchar,
    requested_by varchar not null,
    requested_at timestamptz not null,
    shipped_by varchar,
    shipped_at timestamptz,
    received_at timestamptz,
    cancelled_by varchar,
    cancelled_at timestamptz,
    check (from_warehouse <> to_warehouse)
);

create table transfer_lines (
    transfer_id bigint not null,
    line_no integer not null,
    sku varchar not null,
    quantity bigint not null check (quantity > 0),
    shipped bigint not null default 0,
    received bigint not null default 0,
    primary key (transfer_id, line_no),
    check (shipped >= 0 and received >= 0 and received <= shipped and shipped <= quantity)
);

create sequence seq_expected_receipt_id;
create table expected_receipts (
    receipt_id bigint primary key default nextval('seq_expected_receipt_id'),
    warehouse_code varchar not null,
    sku varchar not null,
    quantity bigint not null check (quantity > 0),
    received bigint not null default 0 check (received >= 0),
    expected_on date not null,
    reference varchar,
    status varchar not null default 'open',  -- open, received, cancelled
    created_by varchar not null,
    created_at timestamptz not null,
    closed_at timestamptz
);

create sequence seq_stock_alert_id;
create table stock_alerts (
    alert_id bigint primary key default nextval('seq_stock_alert_id'),
    warehouse_code varchar not null,
    sku varchar not null,
    opened_at timestamptz not null,
    closed_at timestamptz,
    available_at_open bigint not null,
    safety_stock bigint not null,
    reorder_point bigint not null,
    inbound_at_open bigint not null,
    suggested_reorder bigint not null
);
