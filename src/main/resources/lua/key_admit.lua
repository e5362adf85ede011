-- key_admit.lua: admits a new API key to its tenant's set of active keys only while the tenant holds fewer than the
-- limit. One script, so two keys created at once cannot both pass the last free place.
-- KEYS[1] the tenant's set of active key ids
-- ARGV[1] the new key's id, ARGV[2] the limit (1..10000)
-- returns 1 when admitted (or already a member), 0 when the tenant already holds the limit
if #KEYS ~= 1 or #ARGV ~= 2 then return invalid('key or argument count') end
if ARGV[1] == '' or #ARGV[1] > 64 or ARGV[1]:find('[^%w_]') then return invalid('key id') end
if not uint(ARGV[2], 10000) or tonumber(ARGV[2]) < 1 then return invalid('limit') end

if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
return 1
