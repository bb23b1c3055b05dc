"""The server side of :class:`~telnyx_async.RedisThrottle`: its two Lua scripts and their codes.

Everything a fleet shares lives in one Redis hash per namespace, and only
these scripts change it, each in one atomic step: ``ADMIT_LUA`` takes a
request's slot on the shared schedule (or says how long to wait, or refuses),
``LEARN_LUA`` reads an answer into the shared budget, cool-down and pace. The
constants below tune the pace both scripts keep; the client passes them as
arguments, so the scripts hold no numbers of their own.

What the fleet shares, all kept in one Redis hash and changed only by two Lua
scripts (Redis runs a script atomically, so no two clients can take the same
slot or lose each other's updates):

* **A schedule** (GCRA, the "generic cell rate algorithm"): the hash holds the
  time the next request may go (``tat``). Admitting a request takes that slot
  and moves ``tat`` on by one interval, ``1 / rate``. A request whose slot is
  within ``HORIZON`` seconds (and two intervals) takes it and sleeps until
  then; one further off takes nothing and asks again when it comes closer,
  so that a cut of the pace, or a cool-down, applies to it. Within a process
  the requests that must wait queue in arrival order and only the first asks
  Redis. The interval comes from ``rate=``/``per=`` (``burst`` of them may go
  at once) and from the learned pace below; the slower one wins.
* **The budget the server states** (``x-ratelimit-limit``/``-remaining``/
  ``-reset``): every admission spends one unit; an answer sets the budget to
  its ``remaining`` minus the requests admitted (anywhere in the fleet) after
  the one it answers, which the server may not have counted yet. An answer to
  an older request may lower the budget, never raise it. A spent budget waits
  for its reset, then the stated limit applies again.
* **The cool-down**: a 429 that says the account is spent
  (``x-ratelimit-remaining: 0``) holds every request of the fleet, retries
  included, for its ``retry-after-ms`` / ``Retry-After`` /
  ``x-ratelimit-reset`` (1 s when it names none). A refused request's own
  retry waits just as long in the retry policy, so it is not held twice.
* **A pace learned from 429s**, for a server that states no budget. Only
  when refusals are a real share of the recent answers (``refused_share`` of
  a decayed count of about the last 16 answers to requests sent since the
  last cut, and at least ``min_answers`` of them) is the fleet paced: a stray
  429 among many answers changes nothing. The first cut measures the rate the
  server allows as the best, over the spans since the namespace started (up
  to two seconds), of what got through divided by that span plus the wait the
  429 asked for: a server that lets ``r * wait`` requests through at once
  and ``r`` per second after that peaks at ``r``. Later cuts measure what got
  through since the previous cut. Each cut sets the pace to 90% of what it
  measured (never below half the pace it cuts) and a *ceiling* at 98%. While
  the pace is what holds requests back it grows by a tenth of the cut's rate
  per second up to the ceiling, and stays there: the fleet does not hunt for
  the limit with 429s every few seconds. ``PROBE_AFTER`` seconds after a cut
  without a new one, it grows past the ceiling by a quarter of itself per
  second (the limit may have been raised, or the estimate was low). It is
  dropped after ``forget_after`` seconds without a 429.
* **A gentle start**: a namespace that knows nothing yet (no pace, no budget,
  no cool-down, no user rate) starts its schedule at ``initial_rate`` requests
  per second and doubles it every ``ramp`` seconds, so that workers starting
  together meet an unknown limit with a handful of requests in flight instead
  of all of them at once. A few seconds in, the ramp is past anything an API
  allows; once a limit is learned it is over.

Times are read from Redis (``TIME``), so the clocks of the machines in the
fleet do not matter. Keys expire ``forget_after`` seconds after the last call
(longer while a cool-down lasts): a fleet that was idle starts over gently.
"""

from __future__ import annotations

__all__ = [
    "ADMITTED",
    "ADMIT_LUA",
    "CEILING",
    "CUT",
    "CUT_TO",
    "DECAY",
    "HELD",
    "HORIZON",
    "INCREASE",
    "LATER",
    "LEARN_LUA",
    "PROBE_AFTER",
    "PROBE_GROWTH",
    "REFUSED",
    "WHY",
    "script_arg",
]

HORIZON = 0.02
"""How far ahead (seconds) a request may reserve its slot of the shared schedule."""
PROBE_AFTER = 10.0
"""Seconds without a cut after which the learned pace may grow past its ceiling."""
PROBE_GROWTH = 1.25
"""Past its ceiling, the pace grows by this factor per second (a quarter of itself)."""
CEILING = 0.98
"""Additive increase stops at this share of what got through when the pace was last cut."""
DECAY = 1.0 - 1.0 / 16.0
"""Weight an answer keeps per newer answer in the refused share (about the last 16 count)."""
CUT_TO = 0.9
"""A later cut sets the pace to this share of what got through since the previous one."""
INCREASE = 0.1
"""Additive increase per second, as a share of the rate set by the last cut."""

# Codes the admission script answers with.
REFUSED = -1
LATER = 0
ADMITTED = 1
# Codes the learning script answers with.
HELD = 1
CUT = 2
# What made a request wait (the third figure of an admission's answer).
WHY = {
    1: "the account's rate limit is spent",
    2: "x-ratelimit-remaining ran out",
    3: "the fleet is pacing its requests",
}

# The admission script. KEYS[1] is the namespace's hash. ARGV: the longest wait
# the request accepts, the user's interval (0: none) and burst, the gentle
# start's initial rate (0: off) and doubling time, the reservation horizon, the
# key's lifetime (ms) and the seconds without a 429 after which the learned pace
# is dropped.
# Answer: {code, seconds (string), why, ticket}.
ADMIT_LUA = """
local key = KEYS[1]
local max_wait = tonumber(ARGV[1])
local user_iv = tonumber(ARGV[2])
local user_burst = tonumber(ARGV[3])
local initial = tonumber(ARGV[4])
local ramp = tonumber(ARGV[5])
local horizon = tonumber(ARGV[6])
local ttl = tonumber(ARGV[7])
local forget = tonumber(ARGV[8])
local function fmt(x) return string.format('%.6f', x) end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local s = redis.call('HMGET', key, 't0', 'seq', 'tat', 'rate', 'l429', 'hold', 'known',
  'rem', 'rst', 'lim')
local t0 = tonumber(s[1])
local seq = tonumber(s[2]) or 0
local tat = tonumber(s[3]) or 0
local rate = tonumber(s[4])
local last429 = tonumber(s[5]) or 0
local hold = tonumber(s[6]) or 0
local known = s[7]
local rem = tonumber(s[8])
local rst = tonumber(s[9]) or 0
local lim = tonumber(s[10])
local out = {}
local function put(field, value) out[#out + 1] = field; out[#out + 1] = value end
local function save()
  if #out > 0 then redis.call('HSET', key, unpack(out)) end
  local keep = ttl
  if hold > now then keep = math.max(keep, math.ceil((hold - now) * 1000) + 1000) end
  if rst > now then keep = math.max(keep, math.ceil((rst - now) * 1000) + 1000) end
  redis.call('PEXPIRE', key, keep)
end
if not t0 then t0 = now; put('t0', fmt(now)) end
if rate and now - last429 > forget then
  rate = nil
  redis.call('HDEL', key, 'rate', 'base', 'ceil')
end
local opens, why = now, 0
if hold > now then opens, why = hold, 1 end
local renewed = false
if rem and rem <= 0 then
  if rst > 0 and rst <= now + horizon then
    -- the budget renews (now, or within the horizon): the stated limit again
    if rst > opens then opens, why = rst, 2 end
    if lim and lim > 0 then rem = lim else rem = nil end
    renewed = true
  else
    local until_ = rst
    if until_ <= 0 then until_ = now + 1 end
    if until_ > opens then opens, why = until_, 2 end
  end
end
local iv, tol = 0, 0
if rate and rate > 0 then iv = 1 / rate end
if user_iv > iv then iv = user_iv; tol = (user_burst - 1) * user_iv end
if iv == 0 and not known and initial > 0 then
  local pace = initial * 2 ^ ((now - t0) / ramp)
  if pace < 100000 then iv = 1 / pace end
end
local slot = opens
if iv > 0 and tat - tol > slot then slot, why = tat - tol, 3 end
if iv > 0 and 2 * iv < horizon then horizon = 2 * iv end
local wait = slot - now
if why == 3 and wait > 0 then put('bind', fmt(now)) end
if wait > max_wait then save(); return {-1, fmt(wait), why, 0} end
if wait > horizon then save(); return {0, fmt(wait - horizon), why, 0} end
seq = seq + 1
put('seq', seq)
if iv > 0 then put('tat', fmt(math.max(tat, slot) + iv)) end
if renewed then
  if rem then put('rem', rem - 1) else redis.call('HDEL', key, 'rem') end
  put('rst', 0)
elseif rem then
  put('rem', rem - 1)
end
save()
return {1, fmt(wait), why, seq}
"""

# The learning script. KEYS[1] is the namespace's hash. ARGV: the ticket, the
# status, the wait the answer asked for, its x-ratelimit limit, remaining and
# reset (-1 when absent), the refused share and the minimum number of answers
# that make a cut, the decay of the share's counts, the key's lifetime (ms),
# the share of what got through a later cut keeps, the additive increase and
# the seconds after which growth turns multiplicative.
# Answer: {code, seconds or rate (string)}.
LEARN_LUA = """
local key = KEYS[1]
local ticket = tonumber(ARGV[1])
local status = tonumber(ARGV[2])
local asked = tonumber(ARGV[3])
local flim = tonumber(ARGV[4])
local frem = tonumber(ARGV[5])
local freset = tonumber(ARGV[6])
local share = tonumber(ARGV[7])
local min_answers = tonumber(ARGV[8])
local decay = tonumber(ARGV[9])
local ttl = tonumber(ARGV[10])
local cut_to = tonumber(ARGV[11])
local increase = tonumber(ARGV[12])
local probe_after = tonumber(ARGV[13])
local ceiling = tonumber(ARGV[14])
local probe_growth = tonumber(ARGV[15])
local function fmt(x) return string.format('%.6f', x) end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local s = redis.call('HMGET', key, 'seq', 'cseq', 'rate', 'base', 'cut', 'grown', 'bind',
  'ok', 'bad', 'n', 't0', 'rem', 'fseq', 'hold', 'rst', 'ceil')
local seq = tonumber(s[1]) or 0
local cseq = tonumber(s[2]) or 0
local rate = tonumber(s[3])
local base = tonumber(s[4]) or rate
local cut = tonumber(s[5]) or 0
local grown = tonumber(s[6]) or now
local bind = tonumber(s[7]) or 0
local ok = tonumber(s[8]) or 0
local bad = tonumber(s[9]) or 0
local n = tonumber(s[10]) or 0
local t0 = tonumber(s[11]) or now
local rem = tonumber(s[12])
local fseq = tonumber(s[13]) or 0
local hold = tonumber(s[14]) or 0
local rst = tonumber(s[15]) or 0
local ceil = tonumber(s[16]) or rate
local out = {}
local function put(field, value) out[#out + 1] = field; out[#out + 1] = value end
local function save()
  if #out > 0 then redis.call('HSET', key, unpack(out)) end
  local keep = ttl
  if hold > now then keep = math.max(keep, math.ceil((hold - now) * 1000) + 1000) end
  if rst > now then keep = math.max(keep, math.ceil((rst - now) * 1000) + 1000) end
  redis.call('PEXPIRE', key, keep)
end
if flim >= 0 then put('lim', flim); put('known', 1) end
if frem >= 0 and ticket > 0 then
  local fresh = frem - math.max(seq - ticket, 0)
  local taken = false
  if rem == nil or ticket >= fseq then
    rem = fresh; fseq = ticket; taken = true
  elseif fresh < rem then
    rem = fresh; taken = true
  end
  if taken then
    if freset > 0 then rst = now + freset elseif rem <= 0 then rst = now + 1 else rst = 0 end
    put('rem', rem); put('fseq', fseq); put('rst', fmt(rst)); put('known', 1)
  end
end
local refused = status == 429
if refused then
  put('l429', fmt(now))
  local wait = asked
  if wait < 0 then wait = 1 end
  if frem == 0 then
    if now + wait > hold then hold = now + wait end
    rst = now + wait
    put('hold', fmt(hold)); put('rem', 0); put('rst', fmt(rst)); put('fseq', seq)
    put('known', 1)
    save()
    return {1, fmt(hold)}
  end
end
if ticket > cseq then
  ok = ok * decay
  bad = bad * decay
  if refused then bad = bad + 1 else ok = ok + 1 end
  n = n + 1
  put('ok', fmt(ok)); put('bad', fmt(bad)); put('n', n)
end
local bucket = math.floor(now * 10)
if not refused then
  local slot = bucket % 20
  local e = tonumber(redis.call('HGET', key, 'e' .. slot))
  if e == bucket then
    redis.call('HINCRBY', key, 'c' .. slot, 1)
  else
    put('e' .. slot, bucket); put('c' .. slot, 1)
  end
  if rate then
    if now - bind < 1 then
      local span = math.min(now - grown, 1)
      if span > 0 and rate < ceil then
        rate = math.min(ceil, rate + base * increase * span)
        put('rate', fmt(rate))
      elseif span > 0 and now - cut >= probe_after then
        rate = rate * probe_growth ^ span
        put('rate', fmt(rate))
      end
    end
    put('grown', fmt(now))
  end
  save()
  return {0, '0'}
end
if ticket <= cseq or n < min_answers or bad < share * (ok + bad) then
  save()
  return {0, '0'}
end
local fields = {}
for i = 0, 19 do fields[#fields + 1] = 'e' .. i; fields[#fields + 1] = 'c' .. i end
local ring = redis.call('HMGET', key, unpack(fields))
-- What got through from the start of bucket `first` until now (and over how long).
local function through(first)
  local total = 0
  for i = 0, 19 do
    local e = tonumber(ring[2 * i + 1])
    if e and e >= first and e <= bucket then total = total + (tonumber(ring[2 * i + 2]) or 0) end
  end
  return total, now - first / 10
end
local measured = 0
if rate == nil then
  -- First contact: the best of got-through / (span + the wait asked for), over the
  -- spans since the namespace started (up to 2 s). A server that refills `r` per
  -- second and lets `r * wait` through at once peaks at `r` there; shorter spans
  -- miss part of the burst, longer ones include the ramp.
  local wait = asked
  if wait < 0 then wait = 1 end
  local oldest = math.floor((now - math.min(math.max(now - t0, 0.2), 2)) * 10)
  for first = bucket - 1, oldest, -1 do
    local got, span = through(first)
    local rate_seen = got / (span + wait)
    if rate_seen > measured then measured = rate_seen end
  end
else
  local got, span = through(math.floor((now - math.min(math.max(now - cut, 0.5), 2)) * 10))
  measured = got / span
end
measured = math.max(measured, 1)
local new = measured * cut_to
if rate then new = math.max(new, rate / 2) end  -- one cut at most halves the pace
if rate == nil or new < rate then rate = new end
ceil = math.max(measured * ceiling, rate)
put('rate', fmt(rate)); put('base', fmt(rate)); put('ceil', fmt(ceil))
put('cut', fmt(now)); put('grown', fmt(now))
put('cseq', seq); put('ok', 0); put('bad', 0); put('n', 0); put('known', 1)
save()
return {2, fmt(rate)}
"""


def script_arg(value: float | int) -> str:
    """A script argument as Redis sees it: integers as such, floats with microseconds."""
    if isinstance(value, int):
        return str(value)
    return f"{value:.6f}"
