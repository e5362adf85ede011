-- wallet_update.lua: change wallet settings and append wallet.updated (and wallet.suspended or
-- wallet.activated when the status changes) to the bucket outbox.
-- KEYS[1] wallet hash   KEYS[2] bucket outbox
-- ARGV: tenantId, walletId, data (event detail JSON), then field/value pairs among
--       floor, afloor (signed micros), status (active|suspended), ch ('|a|b|' or ''), ar (0|1),
--       arth ('' or signed micros), aramt ('' or micros), arpm ('' or payment method id), arst ('' or failing),
--       em (0|1), emtgt ('' or signed micros), emcap ('' or micros), name
-- Returns {'updated', seq}, {'error', 'wallet_not_found'}, {'error', 'auto_recharge_incomplete'} (auto-recharge on
-- without a threshold and an amount once the change is applied) or {'error', 'emergency_incomplete'} (emergency
-- top-up on without a target and a cap). Invalid arguments: error reply, nothing written.
if #KEYS ~= 2 or #ARGV < 5 or #ARGV % 2 ~= 1 or #ARGV > 29 then return invalid('key or argument count') end
local tenant, walletId, data = ARGV[1], ARGV[2], ARGV[3]
if tenant == '' or #tenant > 64 then return invalid('tenant') end
if not ends_with_id(KEYS[1], walletId) then return invalid('wallet') end
if #data > 8192 then return invalid('data') end
local checks = {
  floor = sint, afloor = sint,
  status = function(v) return v == 'active' or v == 'suspended' end,
  ch = function(v) return v == '' or v:match('^|.*|$') ~= nil end,
  ar = function(v) return v == '0' or v == '1' end,
  arth = function(v) return v == '' or sint(v) end,
  aramt = function(v) return v == '' or uint(v, MAX) end,
  arpm = function(v) return v == '' or (#v <= 64 and v:match('^[%w_-]+$') ~= nil) end,
  arst = function(v) return v == '' or v == 'failing' end,
  em = function(v) return v == '0' or v == '1' end,
  emtgt = function(v) return v == '' or sint(v) end,
  emcap = function(v) return v == '' or uint(v, MAX) end,
  name = function(v) return #v <= 800 end
}
local pairsToSet, changes = {}, {}
for i = 4, #ARGV, 2 do
  local check = checks[ARGV[i]]
  if check == nil or not check(ARGV[i + 1]) then return invalid('field ' .. ARGV[i]) end
  pairsToSet[#pairsToSet + 1] = ARGV[i]
  pairsToSet[#pairsToSet + 1] = ARGV[i + 1]
  changes[ARGV[i]] = ARGV[i + 1]
end

local w = redis.call('HMGET', KEYS[1], 'tenant', 'status', 'bal', 'ar', 'arth', 'aramt', 'currency', 'em', 'emtgt', 'emcap')
if w[1] ~= tenant then return {'error', 'wallet_not_found'} end
local ar, arth, aramt = changes.ar or w[4], changes.arth or w[5], changes.aramt or w[6]
if ar == '1' and (arth == '' or aramt == '') then return {'error', 'auto_recharge_incomplete'} end
local em, emtgt, emcap = changes.em or w[8] or '0', changes.emtgt or w[9] or '', changes.emcap or w[10] or ''
if em == '1' and (emtgt == '' or emcap == '') then return {'error', 'emergency_incomplete'} end
local nowMs = now_ms()
redis.call('HSET', KEYS[1], 'updated', nowMs, unpack(pairsToSet))
rearm_flags(KEYS[1], w[3])
local seq = emit(KEYS[2], KEYS[1], walletId, tenant, w[7], 'wallet.updated', '0', w[3], data, nowMs)
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= w[2] then
  seq = emit(KEYS[2], KEYS[1], walletId, tenant, w[7], status == 'suspended' and 'wallet.suspended' or 'wallet.activated',
    '0', w[3], '{}', nowMs)
end
return {'updated', seq}
