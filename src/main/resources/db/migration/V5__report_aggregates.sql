-- Reports (docs/concepts/reports.md). Months and days are the tenant's: its IANA time zone, UTC when it has none.
-- The ledger writer reads the zones of a batch's tenants in the batch's transaction and files every movement under
-- its tenant-local month and day; a zone change applies to movements recorded after it.
create table tenant_zone (
    tenant_id  varchar(64)    primary key,
    time_zone  varchar(64)    not null,
    updated_at timestamptz(3) not null default now()
);

-- monthly_totals: months are tenant-local from now on (every tenant so far is UTC, so existing rows keep their
-- meaning). usage_micros stays net of reversals; the new columns split it and count what the reports show.
alter table monthly_totals
    add column usage_units     bigint not null default 0, -- units used (sum of quantity; 1 per debit by amount)
    add column free_count      bigint not null default 0, -- debits of 0 micros (free inbound, free items)
    add column forced_micros   bigint not null default 0, -- part of the usage recorded with force or inbound
    add column reversed_micros bigint not null default 0, -- given back by reversals of debits of this month
    add column reversal_count  bigint not null default 0,
    add column topup_micros    bigint not null default 0, -- part of funds_added_micros that came from top-ups
    add column funds_count     bigint not null default 0;
-- a tenant's months in one index range, for tenant-wide spending and movements without touching other tenants
create index monthly_totals_tenant_month on monthly_totals (tenant_id, month);

-- Daily totals per wallet (tenant-local day): the trailing averages behind runway and month projections.
create table daily_totals (
    wallet_id          varchar(64) not null,
    day                date        not null,
    tenant_id          varchar(64) not null,
    currency           char(3)     not null,
    usage_micros       bigint      not null default 0,
    usage_count        bigint      not null default 0,
    funds_added_micros bigint      not null default 0,
    primary key (wallet_id, day)
);
