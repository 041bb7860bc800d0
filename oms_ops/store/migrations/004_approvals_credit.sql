-- Approvals and credit: rules an admin edits, the approval requests an order opens per version,
-- and the log of finance overriding a credit hold.
--
-- A rule matches an order by its condition kind and threshold:
--   order_total_over    order total (with tax) > threshold (money)
--   line_discount_over  any line's discount percent > threshold (percent)
--   margin_below        (net - cost) / net of the whole order < threshold (percent)
--   over_credit_limit   exposure with this order > credit limit * threshold / 100 (percent of the limit);
--                       without such a rule an order over the limit goes on credit hold instead
--   new_customer        the customer has fewer than threshold earlier orders (not cancelled)
-- Levels run in order (1 first); mode 'any': one holder of any of the roles decides;
-- 'all': one holder of each role must approve.

create sequence seq_approval_rule_id;
create table approval_rules (
    rule_id bigint primary key default nextval('seq_approval_rule_id'),
    name varchar not null,
    condition_kind varchar not null,
    threshold decimal(18, 2) not null default 0,
    level integer not null default 1 check (level >= 1),
    roles varchar[] not null,
    mode varchar not null default 'any' check (mode in ('any', 'all')),
    is_active boolean not null default true,
    updated_by varchar not null default 'system',
    updated_at timestamptz not null default current_timestamp
);

insert into approval_rules (name, condition_kind, threshold, level, roles, mode, is_active) values
    ('Large order', 'order_total_over', 50000, 1, ['manager'], 'any', true),
    ('Deep discount', 'line_discount_over', 15, 1, ['manager'], 'any', true),
    ('Low margin: sales manager', 'margin_below', 10, 1, ['manager'], 'any', true),
    ('Low margin: finance', 'margin_below', 10, 2, ['finance'], 'any', true),
    ('Over credit limit', 'over_credit_limit', 100, 1, ['finance'], 'any', false),
    ('New customer', 'new_customer', 1, 1, ['manager'], 'any', false);

create sequence seq_approval_request_id;
create table approval_requests (
    request_id bigint primary key default nextval('seq_approval_request_id'),
    order_number varchar not null,
    version integer not null,
    rule_id bigint not null,
    rule_name varchar not null,
    condition_kind varchar not null,
    level integer not null,
    roles varchar[] not null,  -- one row per role for a rule in mode 'all'
    why varchar not null,  -- the figures that matched, e.g. 'order total 61020.00 over 50000.00'
    status varchar not null default 'pending',  -- pending, approved, rejected, void
    requested_by varchar not null,
    requested_at timestamptz not null,
    decided_by varchar,
    decided_at timestamptz,
    comment varchar
);

create sequence seq_credit_override_id;
create table credit_overrides (
    override_id bigint primary key default nextval('seq_credit_override_id'),
    order_number varchar not null,
    customer_code varchar not null,
    overridden_by varchar not null,
    reason varchar not null,
    credit_limit decimal(18, 2) not null,
    exposure decimal(18, 2) not null,
    order_total decimal(18, 2) not null,
    overridden_at timestamptz not null
)
