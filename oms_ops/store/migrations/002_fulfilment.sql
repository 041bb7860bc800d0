-- Fulfilment and settlement: payments, shipments per line, refunds due, and the outbox of messages
-- written in the same transaction as the business change they announce.

create sequence seq_payment_id;
create table payments (
    payment_id bigint primary key default nextval('seq_payment_id'),
    order_number varchar not null,
    method varchar not null,  -- bank_transfer, card, cash, cheque, alipay, wechat_pay, bank_acceptance_bill
    amount decimal(18, 2) not null check (amount > 0),
    paid_on date not null,
    reference varchar,
    recorded_by varchar not null,
    recorded_at timestamptz not null
);

create sequence seq_shipment_id;
create table shipments (
    shipment_id bigint primary key default nextval('seq_shipment_id'),
    order_number varchar not null,
    shipped_by varchar not null,
    shipped_at timestamptz not null,
    note varchar
);

create table shipment_lines (
    shipment_id bigint not null,
    order_number varchar not null,
    line_no integer not null,
    sku varchar not null,
    warehouse_code varchar not null,
    quantity bigint not null check (quantity > 0),
    primary key (shipment_id, line_no)
);

create sequence seq_refund_id;
create table refunds (
    refund_id bigint primary key default nextval('seq_refund_id'),
    order_number varchar not null,
    amount decimal(18, 2) not null check (amount > 0),
    status varchar not null default 'due',  -- due, paid (paying it out comes with invoices)
    reason varchar,
    created_by varchar not null,
    created_at timestamptz not null
);

create sequence seq_outbox_id;
create table outbox (
    id bigint primary key default nextval('seq_outbox_id'),
    topic varchar not null,
    recipient varchar,
    payload json not null,
    created_at timestamptz not null,
    sent_at timestamptz
);
