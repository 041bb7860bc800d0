-- Channel imports: one row per imported file with its summary, and the rows it could not take.

create sequence seq_import_id;
create table imports (
    import_id bigint primary key default nextval('seq_import_id'),
    channel varchar not null,
    file varchar not null,
    actor varchar not null,
    imported_at timestamptz not null,
    rows bigint not null,
    orders_created bigint not null,
    lines_created bigint not null,
    duplicates bigint not null,
    quarantined bigint not null
);

create table quarantined_rows (
    import_id bigint not null,
    file varchar not null,
    row_no bigint not null,
    field varchar,
    reason varchar not null,
    raw varchar,  -- the row as the file had it, JSON text
    primary key (import_id, row_no)
);
