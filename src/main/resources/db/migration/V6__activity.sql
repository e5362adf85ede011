-- The activity log and look-ups (docs/reference/api.md#activity-and-look-up, docs/concepts/ledger.md#activity-columns).
-- The ledger writer fills these columns from each event's detail in its one INSERT; rows written before this migration
-- are filled below from data. Null where the detail has no such field, and for events that are not movements.
alter table ledger_entry
    add column item        varchar(64),  -- debit.approved, debit.reversed: detail.item
    add column channel     varchar(64),  -- debit.approved, debit.reversed: detail.channel
    add column user_name   varchar(128), -- debit.approved: detail.user
    add column key_id      varchar(64),  -- the movements: detail.keyId, the API key that acted
    add column debit_id    varchar(64),  -- debit.approved, debit.reversed: detail.debitId
    add column lookup_keys bigint[];     -- 64-bit hashes that find a debit by id, reference or user (io.tollgate.ledger.LookupKeys)

-- The hash of a look-up key's text: the first 8 bytes of SHA-256, big-endian, signed (LookupKeys.hash in Java). Kept so
-- operators can look a debit up in SQL: where lookup_keys @> array[ledger_lookup_hash('d|<tenant>|<debitId>')].
create function ledger_lookup_hash(key_text text) returns bigint language sql immutable strict parallel safe
    as $$ select ('x' || left(encode(sha256(convert_to(key_text, 'UTF8')), 'hex'), 16))::bit(64)::bigint $$;

update ledger_entry e set
    item = case when e.type in ('debit.approved', 'debit.reversed') then nullif(e.data->>'item', '') end,
    channel = case when e.type in ('debit.approved', 'debit.reversed') then nullif(e.data->>'channel', '') end,
    user_name = case when e.type = 'debit.approved' then nullif(e.data->>'user', '') end,
    key_id = nullif(e.data->>'keyId', ''),
    debit_id = case when e.type in ('debit.approved', 'debit.reversed') then nullif(e.data->>'debitId', '') end,
    lookup_keys = (
        select nullif(array_remove(
                   array[ledger_lookup_hash('d|' || e.tenant_id || '|' || nullif(e.data->>'debitId', '')),
                         case when e.type = 'debit.approved' then ledger_lookup_hash('u|' || e.tenant_id || '|'
                             || to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD') || '|' || nullif(e.data->>'user', '')) end]
                   || coalesce((select array_agg(ledger_lookup_hash('r|' || e.tenant_id || '|'
                                    || to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD') || '|' || r.key || '|' || r.value))
                                from jsonb_each_text(case when e.type = 'debit.approved' and jsonb_typeof(e.data->'reference') = 'object'
                                                          then e.data->'reference' end) r), '{}'),
                   null), '{}'))
where e.type in ('debit.approved', 'debit.reversed', 'wallet.credited', 'topup.applied');

-- Two indexes, one of them replacing an index the ledger had (a benchmark of the ledger writer's transaction is in
-- docs/concepts/ledger.md#activity-columns):
--
-- 1. The tenant's movements newest first, with the filter columns in the key. It replaces (tenant_id, occurred_at):
--    (occurred_at, wallet_id, seq) is the activity log's order and its keyset, so a page starts with one index descent at
--    its cursor; type, amount, item and channel are compared inside the index, so a filtered page reads index entries,
--    not rows, and fetches only the rows it answers with. Inserts land at the end of each tenant's range, as before.
create index ledger_activity_tenant on ledger_entry (tenant_id, occurred_at, wallet_id, seq, type, amount_micros, item, channel);
drop index ledger_entry_tenant_occurred;

-- 2. Look-ups: a debit by id (with its reversals), debits by reference entry or user. One GIN index over 64-bit hashes
--    serves the three; a B-tree per kind would cost the writer one random index insert per kind and row. fastupdate (the
--    default) appends new entries to a pending list that is merged in sorted batches.
create index ledger_lookup on ledger_entry using gin (lookup_keys) where lookup_keys is not null;

-- A wallet's activity uses ledger_entry_wallet_seq (wallet_id, seq), the wallet's own order: no index is added for it.
