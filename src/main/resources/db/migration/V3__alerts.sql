-- Alerts: who a tenant's alerts go to, which balances a wallet watches, and the log of every delivery.

-- The tenant's email recipients (at most 10, enforced by the API).
create table alert_contact (
    tenant_id varchar(64)  not null,
    email     varchar(254) not null,
    primary key (tenant_id, email)
);

-- A wallet's low-balance levels (at most 5, enforced by the API).
create table wallet_alert_level (
    wallet_id    varchar(64) not null,
    tenant_id    varchar(64) not null,
    level_micros bigint      not null,
    primary key (wallet_id, level_micros)
);

-- Signed webhook endpoints. Deleting one only deactivates it, so the delivery log keeps naming it. The secret signs
-- requests and so has to be kept readable; it is shown to the tenant once, at creation.
create table webhook_endpoint (
    id         varchar(64)   primary key,
    tenant_id  varchar(64)   not null,
    url        varchar(2000) not null,
    secret     varchar(100)  not null,
    active     boolean       not null default true,
    created_at timestamptz   not null default now()
);
create index webhook_endpoint_tenant on webhook_endpoint (tenant_id) where active;

-- One row per alert and channel target (an email address or a webhook endpoint id): raising the same dedupe key
-- twice finds the row and sends nothing more. The dispatcher claims due pending rows with for update skip locked.
-- payload is json, not jsonb: the text is kept byte for byte, so what was signed is what is sent on every attempt.
create table alert_delivery (
    id              varchar(64)  primary key,
    tenant_id       varchar(64)  not null,
    wallet_id       varchar(64),
    alert_type      varchar(40)  not null,
    dedupe_key      varchar(200) not null,
    channel         varchar(10)  not null check (channel in ('email', 'webhook')),
    target          varchar(254) not null,
    payload         json         not null,
    state           varchar(10)  not null default 'pending' check (state in ('pending', 'delivered', 'failed')),
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null default now(),
    last_status     integer,
    last_error      varchar(500),
    created_at      timestamptz  not null default now(),
    delivered_at    timestamptz,
    constraint alert_delivery_once unique (tenant_id, dedupe_key, channel, target)
);
create index alert_delivery_due on alert_delivery (next_attempt_at) where state = 'pending';
create index alert_delivery_tenant_created on alert_delivery (tenant_id, created_at desc);
