-- wallet_rebuild.lua: restore a wallet's Redis state from the ledger after Redis lost it.
-- KEYS[1] wallet hash
-- ARGV: walletId, tenantId, currency, balanceMicros, seq, floorMicros, automationFloorMicros, status, channels,
--       autoRecharge (0|1), autoRechargeThresholdMicros (''), autoRechargeAmountMicros (''), name, lowFlag (0|1),
--       depletedFlag (0|1), createdMillis, force (0|1), autoRechargePaymentMethod (''), autoRechargeStatus (''|failing),
--       emergency (0|1), emergencyTargetMicros (''), emergencyCapMicros ('')
-- Returns {'rebuilt'}, {'error', 'wallet_exists'} (present and force=0) or {'error', 'redis_ahead'} (Redis holds
-- events the ledger has not seen: rebuilding would lose them). Appends no event: the ledger already has them all.
if #KEYS ~= 1 or #ARGV ~= 22 then return invalid('key or argument count') end
if not ends_with_id(KEYS[1], ARGV[1]) then return invalid('wallet') end
if ARGV[2] == '' or #ARGV[2] > 64 then return invalid('tenant') end
if not ARGV[3]:match('^%u%u%u$') then return invalid('currency') end
if not sint(ARGV[4]) or not uint(ARGV[5], MAX) or tonumber(ARGV[5]) < 1 then return invalid('balance or seq') end
if not sint(ARGV[6]) or not sint(ARGV[7]) then return invalid('floor') end
if ARGV[8] ~= 'active' and ARGV[8] ~= 'suspended' then return invalid('status') end
if ARGV[9] ~= '' and not ARGV[9]:match('^|.*|$') then return invalid('channels') end
if ARGV[10] ~= '0' and ARGV[10] ~= '1' then return invalid('autoRecharge') end
if (ARGV[11] ~= '' and not sint(ARGV[11])) or (ARGV[12] ~= '' and not uint(ARGV[12], MAX)) then return invalid('autoRecharge values') end
if #ARGV[13] > 800 then return invalid('name') end
if (ARGV[14] ~= '0' and ARGV[14] ~= '1') or (ARGV[15] ~= '0' and ARGV[15] ~= '1') then return invalid('flags') end
if not uint(ARGV[16], MAX) then return invalid('created') end
if ARGV[17] ~= '0' and ARGV[17] ~= '1' then return invalid('force') end
if #ARGV[18] > 64 or (ARGV[19] ~= '' and ARGV[19] ~= 'failing') then return invalid('autoRecharge method or status') end
if ARGV[20] ~= '0' and ARGV[20] ~= '1' then return invalid('emergency') end
if (ARGV[21] ~= '' and not sint(ARGV[21])) or (ARGV[22] ~= '' and not uint(ARGV[22], MAX)) then return invalid('emergency values') end

local current = redis.call('HGET', KEYS[1], 'seq')
if current then
  if ARGV[17] ~= '1' then return {'error', 'wallet_exists'} end
  if tonumber(current) > tonumber(ARGV[5]) then return {'error', 'redis_ahead'} end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'tenant', ARGV[2], 'currency', ARGV[3], 'bal', ARGV[4], 'seq', ARGV[5], 'floor', ARGV[6],
  'afloor', ARGV[7], 'status', ARGV[8], 'ch', ARGV[9], 'ar', ARGV[10], 'arth', ARGV[11], 'aramt', ARGV[12],
  'name', ARGV[13], 'lowf', ARGV[14], 'depf', ARGV[15], 'created', ARGV[16], 'updated', now_ms(),
  'arpm', ARGV[18], 'arst', ARGV[19], 'em', ARGV[20], 'emtgt', ARGV[21], 'emcap', ARGV[22])
return {'rebuilt'}
