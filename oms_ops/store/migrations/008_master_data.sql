-- ERP master data: price lists (a customer may follow one), and a record of every master-data load
-- with the rows it quarantined (file, row, field, reason), like channel imports.

create table price_lists (
    price_list_code varchar primary key,
    currency varchar not null default 'CNY',
    created_at timestamptz not null default current_timestamp
);

-- A price of one SKU on one price list from valid_from (inclusive) to valid_to (inclusive, null: open).
create table price_list_items (
    price_list_code varchar not null,
    sku varchar not null,
    valid_from date not null,
    valid_to date,
    price decimal(18, 2) not null check (price >= 0),
    updated_at timestamptz not null,
    primary key (price_list_code, sku, valid_from),
    check (valid_to is null or valid_to >= valid_from)
);

alter table customers add column price_list varchar;  -- a price_lists code, null: list prices

create sequence seq_master_load_id;
create table master_data_loads (
    load_id bigint primary key default nextval('seq_master_load_id'),
    kind varchar not null,  -- customers, products, price-lists, stock-counts
    file varchar not null,
    actor varchar not null,
    loaded_at timestamptz not null,
    rows bigint not null,
    created bigint not null,
    updated bigint not null,
    unchanged bigint not null,
    quarantined bigint not null
);

create table master_data_quarantine (
    load_id bigint not null,
    file varchar not null,
    row_no bigint not null,
    field varchar not null,
    reason varchar not null,
    raw varchar,
    primary key (load_id, row_no)
)
