-- Users, sessions, master data, stock with its ledger, orders with lines and status events.
-- Quantities are whole units (BIGINT); money is DECIMAL(18, 2); timestamps are TIMESTAMPTZ (UTC).

create sequence seq_user_id;
create table users (
    user_id bigint primary key default nextval('seq_user_id'),
    username varchar not null unique,
    display_name varchar,
    password_hash varchar not null,
    roles varchar[] not null,
    is_active boolean not null default true,
    created_at timestamptz not null default current_timestamp
);

create table sessions (
    token_hash varchar primary key,
    user_id bigint not null references users (user_id),
    created_at timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz
);

create sequence seq_customer_id;
create table customers (
    customer_id bigint primary key default nextval('seq_customer_id'),
    customer_code varchar not null unique,
    name varchar not null,
    name_en varchar,
    tier varchar not null default 'standard',
    region varchar,
    city varchar,
    email varchar,
    phone varchar,
    gln varchar,
    credit_limit decimal(18, 2) not null default 0,
    payment_terms_days integer not null default 0,
    created_at timestamptz not null default current_timestamp
);

create sequence seq_product_id;
create table products (
    product_id bigint primary key default nextval('seq_product_id'),
    sku varchar not null unique,
    name varchar not null,
    category varchar not null,
    unit varchar not null default 'pcs',
    list_price decimal(18, 2) not null check (list_price >= 0),
    cost decimal(18, 2) not null check (cost >= 0),
    tax_rate decimal(5, 4) not null default 0.13,
    gtin varchar,
    is_active boolean not null default true,
    created_at timestamptz not null default current_timestamp
);

create table warehouses (
    warehouse_code varchar primary key,
    name varchar not null,
    region varchar,
    city varchar,
    created_at timestamptz not null default current_timestamp
);

-- Live stock per warehouse and SKU; always equal to the sums of stock_ledger.
create table stock_levels (
    warehouse_code varchar not null,
    sku varchar not null,
    on_hand bigint not null default 0,
    reserved bigint not null default 0,
    updated_at timestamptz not null default current_timestamp,
    primary key (warehouse_code, sku),
    check (reserved >= 0 and reserved <= on_hand)
);

create sequence seq_ledger_id;
create table stock_ledger (
    entry_id bigint primary key default nextval('seq_ledger_id'),
    occurred_at timestamptz not null,
    warehouse_code varchar not null,
    sku varchar not null,
    movement varchar not null,  -- receipt, reservation, release, shipment, transfer_out, transfer_in, adjustment
    on_hand_delta bigint not null,
    reserved_delta bigint not null,
    order_number varchar,
    actor varchar not null,
    reason varchar
);

create table counters (
    name varchar primary key,
    value bigint not null
);
insert into counters values ('order_number', 0);

create sequence seq_order_id;
create table orders (
    order_id bigint primary key default nextval('seq_order_id'),
    order_number varchar not null unique,
    customer_code varchar not null,
    channel varchar not null,
    external_ref varchar,
    status varchar not null,
    currency varchar not null default 'CNY',
    note varchar,
    ordered_at timestamptz not null,
    created_by varchar not null,
    subtotal decimal(18, 2) not null,
    tax_total decimal(18, 2) not null,
    total decimal(18, 2) not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    unique (channel, external_ref)
);

create table order_lines (
    order_number varchar not null,
    line_no integer not null,
    sku varchar not null,
    warehouse_code varchar not null,
    quantity bigint not null check (quantity > 0),
    unit_price decimal(18, 2) not null,
    discount_pct decimal(5, 2) not null default 0,
    tax_rate decimal(5, 4) not null,
    unit_cost decimal(18, 2) not null,
    line_net decimal(18, 2) not null,
    line_tax decimal(18, 2) not null,
    line_total decimal(18, 2) not null,
    primary key (order_number, line_no)
);

create sequence seq_order_event_id;
create table order_events (
    event_id bigint primary key default nextval('seq_order_event_id'),
    order_number varchar not null,
    from_status varchar,
    to_status varchar not null,
    actor varchar not null,
    reason varchar,
    occurred_at timestamptz not null
);
