/**
 * Sliding-window counter (the weighted sum of the previous and the current
 * fixed window), atomic in one Lua script. One hash key per limited subject
 * (fields w = window index, c = current count, p = previous count), so it is
 * Redis Cluster safe, and Redis's own clock decides the window, so API
 * instances with skewed clocks agree.
 *
 * KEYS[1] the subject's key; ARGV[1] limit; ARGV[2] window in ms.
 * Returns { allowed 0|1, remaining, reset ms, retry-after ms }.
 */
export const SLIDING_WINDOW_LUA = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local index = math.floor(now / window)
local elapsed = now - index * window
local state = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
local w = tonumber(state[1])
local c = tonumber(state[2]) or 0
local p = tonumber(state[3]) or 0
if w == nil or w < index - 1 then
  c = 0
  p = 0
elseif w == index - 1 then
  p = c
  c = 0
end
local estimate = p * (window - elapsed) / window + c
local reset = window - elapsed
if estimate + 1 > limit then
  local retry
  if c + 1 > limit then
    retry = reset + math.max(0, window * (1 - (limit - 1) / c))
  else
    retry = math.max(1, window - elapsed - (limit - 1 - c) * window / p)
  end
  redis.call('HSET', KEYS[1], 'w', index, 'c', c, 'p', p)
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return { 0, 0, reset, math.ceil(retry) }
end
c = c + 1
redis.call('HSET', KEYS[1], 'w', index, 'c', c, 'p', p)
redis.call('PEXPIRE', KEYS[1], window * 2)
return { 1, math.max(0, math.floor(limit - estimate - 1)), reset, 0 }
`;
