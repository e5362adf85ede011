-- The durable history of every wallet event. Fed only from Kafka and idempotent on event_id, so redelivery
-- anywhere upstream is harmless; (wallet_id, seq) is unique so a wallet's history has one event per place.
create table ledger_entry (
    event_id             varchar(100) primary key,
    wallet_id            varchar(64)  not null,
    tenant_id            varchar(64)  not null,
    seq                  bigint       not null check (seq >= 1),
    type                 varchar(40)  not null,
    currency             char(3)      not null,
    amount_micros        bigint       not null,
    balance_after_micros bigint       not null,
    occurred_at          timestamptz  not null,
    data                 jsonb        not null default '{}'::jsonb,
    recorded_at          timestamptz  not null default now(),
    constraint ledger_entry_wallet_seq unique (wallet_id, seq)
);
create index ledger_entry_tenant_occurred on ledger_entry (tenant_id, occurred_at);

-- Monthly aggregates per wallet, month, item and channel for the reports, kept in the same transaction as the
-- ledger row that changes them. '' stands for "no item" / "no channel" so the key has no nulls.
create table monthly_totals (
    wallet_id          varchar(64) not null,
    month              date        not null,
    item               varchar(64) not null default '',
    channel            varchar(64) not null default '',
    tenant_id          varchar(64) not null,
    currency           char(3)     not null,
    funds_added_micros bigint      not null default 0,
    usage_micros       bigint      not null default 0,
    usage_count        bigint      not null default 0,
    primary key (wallet_id, month, item, channel)
);
