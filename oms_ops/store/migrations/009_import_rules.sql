-- Import rules: imports run in chunks (finished_at stays null if one was interrupted), re-submitted
-- quarantined rows link to their first import, and imported orders short of stock wait on hold.

alter table imports add column finished_at timestamptz;
update imports set finished_at = imported_at;
alter table imports add column resubmit_of bigint;  -- the import whose quarantined rows this one re-ran
alter table imports add column on_shortage varchar default 'quarantine';
alter table quarantined_rows add column resolved_by bigint;  -- the import that took the row when re-submitted

-- An imported order created on hold because its stock was short ('hold', or 'backorder': filled
-- automatically once stock allows). Its lines reserve nothing until it leaves this table.
create table awaiting_stock (
    order_number varchar primary key,
    policy varchar not null,
    shortage varchar not null,
    since timestamptz not null
);

alter table imports add column orders_amended bigint default 0;

-- The version of each imported order last taken, when its feed carries one (a `version` column): a
-- later version amends the order, the same or an earlier one is a duplicate.
create table import_versions (
    channel varchar not null,
    external_ref varchar not null,
    version bigint not null,
    primary key (channel, external_ref)
)
