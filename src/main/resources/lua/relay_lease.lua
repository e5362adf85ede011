-- relay_lease.lua: one relay at a time per bucket, so a wallet's events reach Kafka in order.
-- KEYS[1] the bucket's lease key
-- ARGV[1] owner (the pod's consumer name), ARGV[2] ttl milliseconds, ARGV[3] take|release
-- take: returns 1 when the caller holds the lease (taken or renewed), 0 when another pod holds it.
-- release: drops the lease if the caller holds it; returns 0.
if #KEYS ~= 1 or #ARGV ~= 3 then return invalid('key or argument count') end
if ARGV[1] == '' or #ARGV[1] > 200 then return invalid('owner') end
if not uint(ARGV[2], 3600000) or tonumber(ARGV[2]) < 100 then return invalid('ttl') end
if ARGV[3] ~= 'take' and ARGV[3] ~= 'release' then return invalid('mode') end

local holder = redis.call('GET', KEYS[1])
if ARGV[3] == 'release' then
  if holder == ARGV[1] then redis.call('DEL', KEYS[1]) end
  return 0
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
