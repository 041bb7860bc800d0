-- Delivering the outbox: each message goes out over one channel (email, sms, webhook), is retried
-- with backoff after a failure, and is set aside as a dead letter after too many attempts.
-- A message is due while sent_at and dead_at are null and next_attempt_at (if set) has passed.
-- Role recipients ('role:warehouse') reach the email addresses kept in user_contacts.

alter table outbox add column channel varchar default 'email';
alter table outbox add column attempts integer default 0;
alter table outbox add column last_error varchar;
alter table outbox add column next_attempt_at timestamptz;
alter table outbox add column last_attempt_at timestamptz;
alter table outbox add column dead_at timestamptz;

create table user_contacts (
    username varchar primary key,
    email varchar,
    phone varchar,
    updated_at timestamptz not null default current_timestamp
);
