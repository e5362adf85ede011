-- Payment methods are the provider's references only (token, brand, last four, expiry): never card numbers.
-- A tenant has at most one default and one backup method; deleted methods are kept (top-ups refer to them).
create table payment_method (
    id           varchar(64)  primary key,
    tenant_id    varchar(64)  not null,
    provider_ref varchar(255) not null,
    customer_ref varchar(255),
    brand        varchar(20)  not null,
    last4        char(4)      not null,
    exp_month    smallint     not null check (exp_month between 1 and 12),
    exp_year     smallint     not null check (exp_year between 2000 and 2200),
    role         varchar(8)   not null default 'none' check (role in ('default', 'backup', 'none')),
    created_at   timestamptz  not null default now(),
    deleted_at   timestamptz
);
create unique index payment_method_one_default on payment_method (tenant_id) where role = 'default' and deleted_at is null;
create unique index payment_method_one_backup on payment_method (tenant_id) where role = 'backup' and deleted_at is null;
create index payment_method_tenant on payment_method (tenant_id, created_at);

-- A manual top-up starts as a quote the owner confirms; a quote is used at most once (top_up.quote_id is unique).
create table top_up_quote (
    id                varchar(64) primary key,
    tenant_id         varchar(64) not null,
    wallet_id         varchar(64) not null,
    currency          char(3)     not null,
    amount_micros     bigint      not null check (amount_micros > 0),
    fee_micros        bigint      not null check (fee_micros >= 0),
    payment_method_id varchar(64) not null,
    expires_at        timestamptz not null,
    created_at        timestamptz not null default now()
);

-- One top-up: manual (a confirmed quote), auto (balance.low) or emergency (balance.depleted). The unique
-- trigger_event_id makes a redelivered event harmless; the partial unique index allows one automatic top-up in flight
-- per wallet. A worker leases pending rows (lease_until, lease_token) so that one pod drives a top-up at a time.
create table top_up (
    id                  varchar(64)  primary key,
    tenant_id           varchar(64)  not null,
    wallet_id           varchar(64)  not null,
    kind                varchar(10)  not null check (kind in ('manual', 'auto', 'emergency')),
    state               varchar(10)  not null check (state in ('pending', 'succeeded', 'failed', 'skipped')),
    currency            char(3)      not null,
    amount_micros       bigint       not null check (amount_micros >= 0),
    fee_micros          bigint       not null default 0 check (fee_micros >= 0),
    payment_method_id   varchar(64),
    method_slot         varchar(8)   not null default 'default' check (method_slot in ('default', 'backup', 'chosen')),
    quote_id            varchar(64)  unique,
    request_key         varchar(64)  unique,
    trigger_event_id    varchar(100) unique,
    attempt             int          not null default 0,
    failures            int          not null default 0,
    transient_errors    int          not null default 0,
    provider_payment_id varchar(100),
    provider_status     varchar(30),
    next_attempt_at     timestamptz  not null default now(),
    lease_until         timestamptz,
    lease_token         varchar(64),
    failure_reason      varchar(300),
    created_at          timestamptz  not null default now(),
    updated_at          timestamptz  not null default now(),
    settled_at          timestamptz
);
create unique index top_up_one_automatic_in_flight on top_up (wallet_id) where kind <> 'manual' and state = 'pending';
create index top_up_due on top_up (next_attempt_at) where state = 'pending';
create index top_up_wallet on top_up (wallet_id, created_at desc);
create index top_up_provider_payment on top_up (provider_payment_id);

-- Every charge the provider was asked for, with its idempotency key and outcome: the audit trail of a top-up.
create table top_up_charge (
    provider_payment_id varchar(100) primary key,
    top_up_id           varchar(64)  not null references top_up (id),
    attempt             int          not null,
    payment_method_id   varchar(64)  not null,
    idempotency_key     varchar(128) not null,
    amount_minor        bigint       not null,
    status              varchar(30)  not null,
    decline_code        varchar(60),
    created_at          timestamptz  not null default now(),
    updated_at          timestamptz  not null default now()
);
create index top_up_charge_top_up on top_up_charge (top_up_id);
