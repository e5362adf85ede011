-- wallet_create.lua: create a wallet at balance 0 and append wallet.created to the bucket outbox.
-- KEYS[1] wallet hash   KEYS[2] bucket outbox
-- ARGV: tenantId, walletId, currency, floorMicros, automationFloorMicros, channels ('|a|b|' or ''),
--       autoRecharge (0|1), autoRechargeThresholdMicros ('' = none), autoRechargeAmountMicros ('' = none), name, data,
--       [12] optional: the request's fingerprint when the caller sent an Idempotency-Key (the wallet id is then derived
--       from the key, so a retry names the same wallet)
-- Returns {'created', seq}, {'replayed', seq} (the wallet exists, created by this tenant with this fingerprint),
-- {'error', 'idempotency_conflict'} (created with that key but another request) or {'error', 'wallet_exists'}.
-- Invalid arguments: error reply, nothing written.
if #KEYS ~= 2 or (#ARGV ~= 11 and #ARGV ~= 12) then return invalid('key or argument count') end
local tenant, walletId, currency = ARGV[1], ARGV[2], ARGV[3]
if tenant == '' or #tenant > 64 then return invalid('tenant') end
if not ends_with_id(KEYS[1], walletId) then return invalid('wallet') end
if not currency:match('^%u%u%u$') then return invalid('currency') end
if not sint(ARGV[4]) or not sint(ARGV[5]) then return invalid('floor') end
if ARGV[6] ~= '' and not ARGV[6]:match('^|.*|$') then return invalid('channels') end
if ARGV[7] ~= '0' and ARGV[7] ~= '1' then return invalid('autoRecharge') end
if ARGV[8] ~= '' and not sint(ARGV[8]) then return invalid('autoRecharge threshold') end
if ARGV[9] ~= '' and not uint(ARGV[9], MAX) then return invalid('autoRecharge amount') end
if ARGV[7] == '1' and (ARGV[8] == '' or ARGV[9] == '') then return invalid('autoRecharge needs threshold and amount') end
if #ARGV[10] > 800 or #ARGV[11] > 8192 then return invalid('name or data') end
local fingerprint = ARGV[12] or ''
if ARGV[12] and not hex64(fingerprint) then return invalid('fingerprint') end

if redis.call('EXISTS', KEYS[1]) == 1 then
  local was = redis.call('HMGET', KEYS[1], 'tenant', 'createq', 'seq')
  if fingerprint == '' or was[1] ~= tenant or not was[2] then return {'error', 'wallet_exists'} end
  if was[2] ~= fingerprint then return {'error', 'idempotency_conflict'} end
  return {'replayed', was[3]}
end
local nowMs = now_ms()
redis.call('HSET', KEYS[1], 'tenant', tenant, 'currency', currency, 'bal', '0', 'seq', '0', 'floor', ARGV[4],
  'afloor', ARGV[5], 'status', 'active', 'ch', ARGV[6], 'ar', ARGV[7], 'arth', ARGV[8], 'aramt', ARGV[9],
  'name', ARGV[10], 'lowf', '0', 'depf', '0', 'created', nowMs, 'updated', nowMs)
if fingerprint ~= '' then redis.call('HSET', KEYS[1], 'createq', fingerprint) end
local seq = emit(KEYS[2], KEYS[1], walletId, tenant, currency, 'wallet.created', '0', '0', ARGV[11], nowMs)
return {'created', seq}
