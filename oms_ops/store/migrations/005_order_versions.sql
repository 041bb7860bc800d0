-- Order versions: each amendment is a new version of the order, and every earlier version stays readable.
-- Version 1 (the order as placed) is written lazily, at the first amendment, from the rows as they stood,
-- so placing an order costs nothing extra. An order without rows here is at version 1.

create table order_versions (
    order_number varchar not null,
    version integer not null check (version >= 1),
    created_by varchar not null,
    created_at timestamptz not null,
    reason varchar,
    status varchar not null,  -- the order's status once this version was in force
    header json not null,  -- customer, channel, reference, note, currency
    lines json not null,  -- every line as it stood: line_no, sku, warehouse, quantity, prices, totals
    subtotal decimal(18, 2) not null,
    tax_total decimal(18, 2) not null,
    total decimal(18, 2) not null,
    primary key (order_number, version)
);
