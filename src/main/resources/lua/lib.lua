-- lib.lua: helpers prepended to every Tollgate script when it is loaded (see LuaScript.java).
-- Money travels as decimal strings and is applied with HINCRBY, so Lua's doubles never round it. Values Lua does
-- compute (a balance after a debit, for the event) stay within ±(2^53-1), where doubles are exact integers.
local MAX = 9007199254740991

local function fmt(n) return string.format('%.0f', n) end

local function uint(s, max)
  return type(s) == 'string' and #s >= 1 and #s <= 16 and not s:find('%D') and tonumber(s) <= max
end

local function sint(s)
  if type(s) ~= 'string' or #s > 17 or not s:match('^%-?%d+$') then return false end
  return math.abs(tonumber(s)) <= MAX
end

local function invalid(msg) return redis.error_reply('TG_INVALID ' .. msg) end

local function ttl(s) return uint(s, 31536000) and tonumber(s) >= 1 end

local function hex64(s) return #s == 64 and not s:find('[^0-9a-f]') end

local function ends_with_id(key, id) return id ~= '' and #id <= 64 and key:sub(-#id - 1) == ':' .. id end

local function now_ms()
  local t = redis.call('TIME')
  return fmt(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
end

-- Appends one event with a sequence number the caller already assigned. The event id carries Redis' time as well as
-- the seq: a redelivered entry keeps its id, but if Redis ever loses its last writes and a seq is used again, the
-- new event gets a new id, so the ledger cannot mistake it for a duplicate (it conflicts on wallet+seq instead).
local function append(outbox, walletId, tenant, currency, seq, etype, amount, balance, data, nowMs)
  redis.call('XADD', outbox, '*', 'id', 'evt_' .. walletId .. '_' .. seq .. '_' .. nowMs, 'type', etype, 'wallet', walletId,
    'tenant', tenant, 'seq', seq, 'cur', currency, 'amt', amount, 'bal', balance, 'ts', nowMs, 'data', data)
end

-- A packed entry: all events one debit call made for one wallet, in seq order, one XADD instead of one per event (a
-- batch of 1,000 debits on a wallet is one entry). Fields wallet, tenant, cur, ts as above, n (the event count) and ev:
-- the events joined by '\n', each "seq|type|amt|bal|data" (data last: it may hold '|'; it is JSON, so never a raw '\n').
-- The event id is the one append gives: 'evt_' .. wallet .. '_' .. seq .. '_' .. ts (OutboxEvent.fromEntry).
local function packed_line(seq, etype, amount, balance, data)
  return seq .. '|' .. etype .. '|' .. amount .. '|' .. balance .. '|' .. data
end

local function append_packed(outbox, walletId, tenant, currency, lines, nowMs)
  redis.call('XADD', outbox, '*', 'wallet', walletId, 'tenant', tenant, 'cur', currency, 'ts', nowMs, 'n', #lines,
    'ev', table.concat(lines, '\n'))
end

-- Appends one event with the wallet's next sequence number; returns that number as a string.
-- Every event carries the wallet's currency so a consumer can read its amounts without another lookup.
local function emit(outbox, wallet, walletId, tenant, currency, etype, amount, balance, data, nowMs)
  local seq = fmt(redis.call('HINCRBY', wallet, 'seq', 1))
  append(outbox, walletId, tenant, currency, seq, etype, amount, balance, data, nowMs)
  return seq
end

-- Idempotency records: one string "requestHash|id|amountMicros|balanceAfterMicros|seq" with a TTL.
local function idem_get(key)
  local v = redis.call('GET', key)
  if not v then return nil end
  local h, id, amt, bal, seq = v:match('^(%x+)|([^|]*)|([^|]*)|([^|]*)|([^|]*)$')
  return {h = h, id = id, amt = amt, bal = bal, seq = seq}
end

local function idem_put(key, hash, id, amount, balance, seq, ttlSeconds)
  redis.call('SET', key, hash .. '|' .. id .. '|' .. amount .. '|' .. balance .. '|' .. seq, 'EX', ttlSeconds)
end

-- Debit records: the idempotency record of an approved debit, which reversals also read and update, one string
-- "requestHash|debitId|amountMicros|balanceAfterMicros|seq|walletId|reversedMicros|approvedAtMs[|priceBasis|item|channel]"
-- with a TTL (the longer of
-- the idempotency ttl and the reversal window; reverse.lua enforces the window by approvedAtMs). The debit id carries the
-- record's key (DebitIds.java), so one key serves the retry and the reversal. Another operation's record under the
-- same key (5 parts) does not parse as a debit record: the caller answers idempotency_conflict or debit_not_found.
-- The tail: priceBasis ('' for a debit by amount, else i, c or n: the item's price, its destination price, its inbound
-- price) lets a replay answer the same price breakdown; item and channel let a reversal name the usage it gives back.
-- Records written before 2026-12-03 have no tail and parse with all three ''.
local function parse_debit(v)
  if not v then return nil end
  local h, id, amt, bal, seq, wallet, rev, at, tail =
    v:match('^([a-z2-7]+)|([^|]*)|(%d+)|([^|]*)|(%d+)|([^|]*)|(%d+)|(%d+)(.*)$')
  local basis, item, channel = '', '', ''
  if tail and tail ~= '' then
    basis, item, channel = tail:match('^|([icn]?)|([^|]*)|([^|]*)$')
    if not basis then return {} end -- a malformed tail: no debit record (h nil)
  end
  return {h = h, id = id, amt = amt, bal = bal, seq = seq, wallet = wallet, rev = rev, at = at, basis = basis,
    item = item, channel = channel}
end

local function debit_get(key) return parse_debit(redis.call('GET', key)) end

local function debit_record(hash, id, amount, balance, seq, walletId, reversed, atMs, basis, item, channel)
  return hash .. '|' .. id .. '|' .. amount .. '|' .. balance .. '|' .. seq .. '|' .. walletId .. '|' .. reversed .. '|' .. atMs
    .. '|' .. (basis or '') .. '|' .. (item or '') .. '|' .. (channel or '')
end

-- Epoch milliseconds as RFC 3339 UTC with three fraction digits (Times.java's format), for event data Lua writes.
-- Days to civil date: Howard Hinnant's days_from_civil inverse; exact for the Gregorian calendar.
local function rfc3339(ms)
  local t = tonumber(ms)
  local millis = t % 1000
  local secs = (t - millis) / 1000
  local days = math.floor(secs / 86400)
  local rem = secs - days * 86400
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400 + (m <= 2 and 1 or 0)
  return string.format('%04d-%02d-%02dT%02d:%02d:%02d.%03dZ', y, m, d, math.floor(rem / 3600), math.floor(rem % 3600 / 60),
    rem % 60, millis)
end

-- Funds arrived: re-arm balance.low above the threshold and balance.depleted above zero.
local function rearm_flags(wallet, balance)
  local f = redis.call('HMGET', wallet, 'arth')
  if f[1] == false or f[1] == '' or tonumber(balance) > tonumber(f[1]) then redis.call('HSET', wallet, 'lowf', '0') end
  if tonumber(balance) > 0 then redis.call('HSET', wallet, 'depf', '0') end
end
