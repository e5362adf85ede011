-- reverse.lua: give back all or part of an approved debit, at most its amount in total, idempotent on the
-- caller's key, and append debit.reversed to the bucket outbox.
-- KEYS[1] wallet hash   KEYS[2] bucket outbox   KEYS[3] idempotency record   KEYS[4] debit record
-- (written by debit.lua, lib.lua debit_get; its key comes from the debit id, DebitIds.java)
-- ARGV: tenantId, walletId, requestHash, reversalId, debitId, amountMicros ('' = all that remains),
--       idempotency ttl seconds, data (event detail JSON), reversal window seconds
-- Returns {outcome, reason, reversalId, amountMicros, balanceAfterMicros, seq, replayed}; outcome reversed|error,
-- reason for errors: wallet_not_found|debit_not_found|idempotency_conflict|reversal_exceeds_debit|balance_limit.
if #KEYS ~= 4 or #ARGV ~= 9 then return invalid('key or argument count') end
local tenant, walletId, hash, reversalId, debitId, amount = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if tenant == '' or #tenant > 64 then return invalid('tenant') end
if not ends_with_id(KEYS[1], walletId) then return invalid('wallet') end
if #debitId > 64 or not debitId:match('^[%w_-]+$') then return invalid('debit') end
if not hex64(hash) then return invalid('request hash') end
if reversalId == '' or #reversalId > 64 then return invalid('reversal id') end
if amount ~= '' and (not uint(amount, MAX) or tonumber(amount) < 1) then return invalid('amount') end
if not ttl(ARGV[7]) then return invalid('idempotency ttl') end
if #ARGV[8] > 8192 or ARGV[8]:sub(1, 1) ~= '{' or ARGV[8]:sub(-1) ~= '}' then return invalid('data') end
if not ttl(ARGV[9]) then return invalid('reversal window') end

local function err(reason) return {'error', reason, '', '', '', '', '0'} end
local stored = idem_get(KEYS[3])
if stored then
  if stored.h ~= hash then return err('idempotency_conflict') end
  return {'reversed', '', stored.id, stored.amt, stored.bal, stored.seq, '1'}
end
local w = redis.call('HMGET', KEYS[1], 'tenant', 'bal', 'currency')
if w[1] ~= tenant then return err('wallet_not_found') end
-- the record must be this debit's (the id's random part differs once a key was reused), on this wallet, which the
-- caller's tenant owns (checked above), and approved within the reversal window (the record may outlive it)
local d = debit_get(KEYS[4])
if not d or d.id ~= debitId or d.wallet ~= walletId then return err('debit_not_found') end
local nowMs = now_ms()
if tonumber(nowMs) - tonumber(d.at) > tonumber(ARGV[9]) * 1000 then return err('debit_not_found') end
local remaining = tonumber(d.amt) - tonumber(d.rev)
if amount == '' then amount = fmt(remaining) end
if tonumber(amount) < 1 or tonumber(amount) > remaining then return err('reversal_exceeds_debit') end
if tonumber(w[2]) + tonumber(amount) > MAX then return err('balance_limit') end

local after = fmt(redis.call('HINCRBY', KEYS[1], 'bal', amount))
redis.call('SET', KEYS[4], debit_record(d.h, d.id, d.amt, d.bal, d.seq, d.wallet, fmt(tonumber(d.rev) + tonumber(amount)), d.at,
  d.basis, d.item, d.channel),
  'KEEPTTL')
rearm_flags(KEYS[1], after)
-- The reversal gives back the usage of its debit: the event names the debit's item, channel and time, so the ledger
-- takes it off that item, channel and month (item and channel are codes without quotes, ARGV[8] is a JSON object).
local data = ARGV[8]:sub(1, -2) .. (ARGV[8] == '{}' and '' or ',') .. '"debitOccurredAt":"' .. rfc3339(d.at) .. '"'
  .. (d.item ~= '' and (',"item":"' .. d.item .. '"') or '') .. (d.channel ~= '' and (',"channel":"' .. d.channel .. '"') or '')
  .. '}'
local seq = emit(KEYS[2], KEYS[1], walletId, tenant, w[3], 'debit.reversed', amount, after, data, nowMs)
idem_put(KEYS[3], hash, reversalId, amount, after, seq, ARGV[7])
return {'reversed', '', reversalId, amount, after, seq, '0'}
