-- debit.lua: approve or decline N debits of one bucket in one atomic step (N = 1 for a single debit).
--
-- KEYS[1]                     the bucket's outbox stream
-- KEYS[2+3(i-1)] .. +2        for item i: wallet hash, idempotency record, debit record
-- ARGV[1] idempotency ttl seconds   ARGV[2] debit record ttl seconds   ARGV[3] item count N (1..1000)
-- ARGV[4+11(i-1)] .. +10      for item i: tenantId, walletId, requestHash (64 hex), debitId, amountMicros,
--                             origin (automated|manual), direction (outbound|inbound), force (0|1),
--                             currency ('' = not stated), channel ('' = none), data (event detail JSON)
--
-- Every argument is checked before the first write: invalid input is an error reply and changes nothing.
-- Returns one 7-element array per item: {outcome, reason, debitId, amountMicros, balanceAfterMicros, seq, replayed}
--   outcome approved: reason ''            outcome declined: reason insufficient_funds|automation_floor|wallet_suspended
--   outcome error: reason wallet_not_found|currency_mismatch|unknown_channel|idempotency_conflict|balance_limit
-- Amounts travel as decimal strings and are applied with HINCRBY, so Lua's doubles never round money.

local PER = 11

if #ARGV < 3 or not ttl(ARGV[1]) then return invalid('idempotency ttl') end
if not ttl(ARGV[2]) then return invalid('debit record ttl') end
if not uint(ARGV[3], 1000) or tonumber(ARGV[3]) < 1 then return invalid('item count') end
local n = tonumber(ARGV[3])
if #KEYS ~= 1 + 3 * n or #ARGV ~= 3 + PER * n then return invalid('key or argument count') end

local items = {}
for i = 1, n do
  local a = 3 + PER * (i - 1)
  local it = {
    wallet = KEYS[2 + 3 * (i - 1)], idem = KEYS[3 + 3 * (i - 1)], record = KEYS[4 + 3 * (i - 1)],
    tenant = ARGV[a + 1], walletId = ARGV[a + 2], hash = ARGV[a + 3], debitId = ARGV[a + 4],
    amount = ARGV[a + 5], origin = ARGV[a + 6], direction = ARGV[a + 7], force = ARGV[a + 8],
    currency = ARGV[a + 9], channel = ARGV[a + 10], data = ARGV[a + 11]
  }
  if it.tenant == '' or #it.tenant > 64 then return invalid('tenant of item ' .. i) end
  if not ends_with_id(it.wallet, it.walletId) then return invalid('wallet of item ' .. i) end
  if not it.hash:match('^' .. string.rep('%x', 64) .. '$') then return invalid('request hash of item ' .. i) end
  if not ends_with_id(it.record, it.debitId) then return invalid('debit id of item ' .. i) end
  if it.direction ~= 'outbound' and it.direction ~= 'inbound' then return invalid('direction of item ' .. i) end
  if not uint(it.amount, MAX) then return invalid('amount of item ' .. i) end
  if tonumber(it.amount) < 1 and it.direction ~= 'inbound' then return invalid('amount of item ' .. i) end
  if it.origin ~= 'automated' and it.origin ~= 'manual' then return invalid('origin of item ' .. i) end
  if it.force ~= '0' and it.force ~= '1' then return invalid('force of item ' .. i) end
  if it.currency ~= '' and not it.currency:match('^%u%u%u$') then return invalid('currency of item ' .. i) end
  if #it.channel > 64 or it.channel:find('|', 1, true) then return invalid('channel of item ' .. i) end
  if #it.data > 8192 then return invalid('data of item ' .. i) end
  items[i] = it
end

local outbox = KEYS[1]
local idemTtl, recordTtl = ARGV[1], ARGV[2]
local nowMs = now_ms()

local function event(it, etype, amount, balance, data)
  return emit(outbox, it.wallet, it.walletId, it.tenant, etype, amount, balance, data, nowMs)
end

local function result(outcome, reason, debitId, amount, balance, seq, replayed)
  return {outcome, reason, debitId, amount, balance, seq, replayed}
end

local function debit(it)
  local stored = redis.call('HMGET', it.idem, 'h', 'id', 'amt', 'bal', 'seq')
  if stored[1] then
    if stored[1] ~= it.hash then return result('error', 'idempotency_conflict', '', '', '', '', '0') end
    return result('approved', '', stored[2], stored[3], stored[4], stored[5], '1')
  end
  local w = redis.call('HMGET', it.wallet, 'tenant', 'currency', 'bal', 'floor', 'afloor', 'status', 'ar', 'arth',
    'lowf', 'depf', 'ch')
  if w[1] ~= it.tenant then return result('error', 'wallet_not_found', '', '', '', '', '0') end
  if it.currency ~= '' and it.currency ~= w[2] then return result('error', 'currency_mismatch', '', '', '', '', '0') end
  if it.channel ~= '' and w[11] and w[11] ~= '' and not w[11]:find('|' .. it.channel .. '|', 1, true) then
    return result('error', 'unknown_channel', '', '', '', '', '0')
  end
  local balance, amount = tonumber(w[3]), tonumber(it.amount)
  if amount == 0 then return result('approved', '', '', '0', w[3], '', '0') end
  local forced = it.force == '1' or it.direction == 'inbound'
  if not forced then
    if w[6] ~= 'active' then return result('declined', 'wallet_suspended', '', it.amount, w[3], '', '0') end
    local floor = tonumber(w[4])
    if balance - amount < floor then return result('declined', 'insufficient_funds', '', it.amount, w[3], '', '0') end
    local automationFloor = tonumber(w[5])
    if it.origin == 'automated' and w[7] ~= '1' and balance - amount < automationFloor then
      return result('declined', 'automation_floor', '', it.amount, w[3], '', '0')
    end
  elseif balance - amount < -MAX then
    return result('error', 'balance_limit', '', '', '', '', '0')
  end

  local after = fmt(redis.call('HINCRBY', it.wallet, 'bal', '-' .. it.amount))
  local seq = event(it, 'debit.approved', it.amount, after, it.data)
  local afterNum = tonumber(after)
  if w[8] and w[8] ~= '' and afterNum <= tonumber(w[8]) and w[9] ~= '1' then
    redis.call('HSET', it.wallet, 'lowf', '1')
    event(it, 'balance.low', '0', after, '{"thresholdMicros":' .. w[8] .. '}')
  end
  if afterNum <= 0 and w[10] ~= '1' then
    redis.call('HSET', it.wallet, 'depf', '1')
    event(it, 'balance.depleted', '0', after, '{}')
  end
  redis.call('HSET', it.record, 'wallet', it.walletId, 'tenant', it.tenant, 'amt', it.amount, 'rev', '0')
  redis.call('EXPIRE', it.record, recordTtl)
  redis.call('HSET', it.idem, 'h', it.hash, 'id', it.debitId, 'amt', it.amount, 'bal', after, 'seq', seq)
  redis.call('EXPIRE', it.idem, idemTtl)
  return result('approved', '', it.debitId, it.amount, after, seq, '0')
end

local out = {}
for i = 1, n do out[i] = debit(items[i]) end
return out
