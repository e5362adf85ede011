-- wallet_credit.lua: add funds to a wallet (support credit, promotion, adjustment; later payment top-ups),
-- idempotent on the caller's key, and append the credit event to the bucket outbox.
-- KEYS[1] wallet hash   KEYS[2] bucket outbox   KEYS[3] idempotency record
-- ARGV: tenantId, walletId, requestHash, creditId, amountMicros, currency ('' = not stated),
--       idempotency ttl seconds, event type (wallet.credited|topup.applied), data (event detail JSON)
-- Returns {outcome, reason, creditId, amountMicros, balanceAfterMicros, seq, replayed}; outcome applied|error,
-- reason for errors: wallet_not_found|currency_mismatch|idempotency_conflict|balance_limit.
if #KEYS ~= 3 or #ARGV ~= 9 then return invalid('key or argument count') end
local tenant, walletId, hash, creditId, amount = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if tenant == '' or #tenant > 64 then return invalid('tenant') end
if not ends_with_id(KEYS[1], walletId) then return invalid('wallet') end
if not hex64(hash) then return invalid('request hash') end
if creditId == '' or #creditId > 64 then return invalid('credit id') end
if not uint(amount, MAX) or tonumber(amount) < 1 then return invalid('amount') end
if ARGV[6] ~= '' and not ARGV[6]:match('^%u%u%u$') then return invalid('currency') end
if not ttl(ARGV[7]) then return invalid('idempotency ttl') end
if ARGV[8] ~= 'wallet.credited' and ARGV[8] ~= 'topup.applied' then return invalid('event type') end
if #ARGV[9] > 8192 then return invalid('data') end

local function err(reason) return {'error', reason, '', '', '', '', '0'} end
local stored = idem_get(KEYS[3])
if stored then
  if stored.h ~= hash then return err('idempotency_conflict') end
  return {'applied', '', stored.id, stored.amt, stored.bal, stored.seq, '1'}
end
local w = redis.call('HMGET', KEYS[1], 'tenant', 'currency', 'bal')
if w[1] ~= tenant then return err('wallet_not_found') end
if ARGV[6] ~= '' and ARGV[6] ~= w[2] then return err('currency_mismatch') end
if tonumber(w[3]) + tonumber(amount) > MAX then return err('balance_limit') end

local after = fmt(redis.call('HINCRBY', KEYS[1], 'bal', amount))
rearm_flags(KEYS[1], after)
local seq = emit(KEYS[2], KEYS[1], walletId, tenant, w[2], ARGV[8], amount, after, ARGV[9], now_ms())
idem_put(KEYS[3], hash, creditId, amount, after, seq, ARGV[7])
return {'applied', '', creditId, amount, after, seq, '0'}
