-- rxadj accumulators: every change to a family's accumulators runs here, atomically.
--
-- KEYS[1] amounts hash of one family and plan year: "v" = version, "ded:001:rx" = cents
-- KEYS[2] transactions hash of the same family and plan year: txn id -> record
-- KEYS[3] fills hash of the family (all plan years): "#" = fills version, txn id -> fill
-- KEYS[4] journal sorted set (the family's slot's on a cluster): unconfirmed txns, by time (ms)
-- KEYS[5] epoch key (likewise): absent means Redis lost its data, rebuild first
--
-- A record is "version<US>reverses<US>reversed_by<US>deltas<US>stash": the family version
-- the transaction produced, the transaction it reverses, the transaction that reversed
-- it, its own deltas ("name=cents;name=cents") and, for a reversal, the original's fill
-- it removed (so that recovery can put it back). A fill is "seq<TAB>fill fields".
--
-- ARGV[1] is the operation:
--   apply  id expected_version expected_fills_version deltas reverses fill journal_member
--          [rebuild: replaying the ledger while the slots have no epoch yet]
--   undo   id journal_member cutoff_ms mode(full|split) reversal_id reversal_member
-- Empty strings stand for "none" in every argument.

local US = '\31'

local function split(text, sep)
  local parts = {}
  local start = 1
  while true do
    local i = string.find(text, sep, start, true)
    if not i then
      parts[#parts + 1] = string.sub(text, start)
      return parts
    end
    parts[#parts + 1] = string.sub(text, start, i - 1)
    start = i + #sep
  end
end

local function deltas_of(text)
  local out = {}
  if text == '' then return out end
  for _, pair in ipairs(split(text, ';')) do
    local eq = string.find(pair, '=', 1, true)
    out[#out + 1] = {string.sub(pair, 1, eq - 1), tonumber(string.sub(pair, eq + 1))}
  end
  return out
end

local function encode_deltas(names, cents)
  local parts = {}
  for _, name in ipairs(names) do
    parts[#parts + 1] = name .. '=' .. string.format('%d', cents[name])
  end
  return table.concat(parts, ';')
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function version_of()
  return tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
end

local function fills_version()
  return tonumber(redis.call('HGET', KEYS[3], '#') or '0')
end

local function add_fill(id, fields)
  local seq = redis.call('HINCRBY', KEYS[3], '#', 1)
  redis.call('HSET', KEYS[3], id, string.format('%d', seq) .. '\t' .. fields)
end

local function without_seq(fill)
  local tab = string.find(fill, '\t', 1, true)
  return string.sub(fill, tab + 1)
end

if ARGV[9] ~= 'rebuild' and redis.call('EXISTS', KEYS[5]) == 0 then
  return {'unbuilt'}
end

local op = ARGV[1]

if op == 'apply' then
  local id, reverses, member = ARGV[2], ARGV[6], ARGV[8]
  local version = version_of()
  local record = redis.call('HGET', KEYS[2], id)
  if record then
    if member ~= '' then
      -- a retry adopts its earlier, unconfirmed application: renew its lease
      redis.call('ZADD', KEYS[4], 'XX', now_ms(), member)
    end
    return {'duplicate', version, split(record, US)[4]}
  end
  local fills_changed = false
  if (ARGV[3] ~= '' and tonumber(ARGV[3]) ~= version)
      or (ARGV[4] ~= '' and tonumber(ARGV[4]) ~= fills_version()) then
    return {'conflict', version, redis.call('HGETALL', KEYS[1]),
            redis.call('HGETALL', KEYS[3])}
  end
  local names, net = {}, {}
  for _, d in ipairs(deltas_of(ARGV[5])) do
    if net[d[1]] == nil then names[#names + 1] = d[1]; net[d[1]] = 0 end
    net[d[1]] = net[d[1]] + d[2]
  end
  local stash = ''
  if reverses ~= '' then
    local original = redis.call('HGET', KEYS[2], reverses)
    if not original then return {'unknown_original', version} end
    local o = split(original, US)
    if o[3] ~= '' then return {'already_reversed', version} end
    for _, d in ipairs(deltas_of(o[4])) do
      if net[d[1]] == nil then names[#names + 1] = d[1]; net[d[1]] = 0 end
      net[d[1]] = net[d[1]] - d[2]
    end
    o[3] = id
    redis.call('HSET', KEYS[2], reverses, table.concat(o, US))
    local fill = redis.call('HGET', KEYS[3], reverses)
    if fill then
      stash = without_seq(fill)
      redis.call('HDEL', KEYS[3], reverses)
      fills_changed = true
    end
  end
  for _, name in ipairs(names) do
    redis.call('HINCRBY', KEYS[1], name, net[name])
  end
  version = redis.call('HINCRBY', KEYS[1], 'v', 1)
  redis.call('HSET', KEYS[2], id,
             table.concat({string.format('%d', version), reverses, '', ARGV[5], stash}, US))
  if ARGV[7] ~= '' then
    add_fill(id, ARGV[7])
  elseif fills_changed then
    redis.call('HINCRBY', KEYS[3], '#', 1)
  end
  if member ~= '' then
    redis.call('ZADD', KEYS[4], now_ms(), member)
  end
  return {'applied', version, encode_deltas(names, net), fills_version()}
end

if op == 'undo' then
  local id, member, cutoff, mode, reversal_id = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
  local score = redis.call('ZSCORE', KEYS[4], member)
  if not score then return {'gone'} end
  if tonumber(score) > tonumber(cutoff) then return {'fresh'} end
  local record = redis.call('HGET', KEYS[2], id)
  if not record then
    redis.call('ZREM', KEYS[4], member)
    return {'gone'}
  end
  local r = split(record, US)
  if r[3] ~= '' then return {'reversed', r[3]} end
  local fills_changed = false
  if mode == 'full' then
    if r[2] ~= '' and tonumber(r[1]) ~= version_of() then return {'moved'} end
    for _, d in ipairs(deltas_of(r[4])) do
      redis.call('HINCRBY', KEYS[1], d[1], -d[2])
    end
    if r[2] ~= '' then
      local o = split(redis.call('HGET', KEYS[2], r[2]), US)
      for _, d in ipairs(deltas_of(o[4])) do
        redis.call('HINCRBY', KEYS[1], d[1], d[2])
      end
      o[3] = ''
      redis.call('HSET', KEYS[2], r[2], table.concat(o, US))
      if r[5] ~= '' then
        add_fill(r[2], r[5])
        fills_changed = true
      end
    end
  elseif mode == 'split' then
    if r[2] == '' then return {'not_a_reversal'} end
    for _, d in ipairs(deltas_of(r[4])) do
      redis.call('HINCRBY', KEYS[1], d[1], -d[2])
    end
    redis.call('HSET', KEYS[2], reversal_id, table.concat({r[1], r[2], '', '', r[5]}, US))
    local o = split(redis.call('HGET', KEYS[2], r[2]), US)
    o[3] = reversal_id
    redis.call('HSET', KEYS[2], r[2], table.concat(o, US))
    -- the reversal that stays must still reach the ledger: journal it with the old score
    redis.call('ZADD', KEYS[4], score, ARGV[7])
  else
    return redis.error_reply('unknown undo mode ' .. mode)
  end
  if redis.call('HDEL', KEYS[3], id) == 1 and not fills_changed then
    redis.call('HINCRBY', KEYS[3], '#', 1)
  end
  redis.call('HDEL', KEYS[2], id)
  redis.call('HINCRBY', KEYS[1], 'v', 1)
  redis.call('ZREM', KEYS[4], member)
  return {'undone'}
end

return redis.error_reply('unknown operation ' .. tostring(op))
