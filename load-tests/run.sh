#!/usr/bin/env bash
# Tollgate debit benchmark: one command, one machine. See load-tests/README.md.
#
#   load-tests/run.sh
#
# (a) ceiling    redis-benchmark runs debit.lua (exactly the script Tollgate loads) by EVALSHA, CONCURRENCY connections
# (b) peak       POST /v1/wallets/{id}/debits, closed loop, CONCURRENCY requests in flight
#     half       the same endpoint, open loop at half of (b)'s peak, latency from the intended send time
# (c) batch      POST /v1/debit-batches, BATCH_SIZE debits per batch, BATCH_CONCURRENCY batches in flight
# The table goes to stdout and to load-tests/results/<UTC timestamp>.md.
#
# Environment (defaults in brackets):
#   DURATION_SECONDS [20]   measured seconds per phase     WARMUP_SECONDS [5]  unmeasured warm-up before each phase
#   CONCURRENCY [64]        connections for (a) and (b)    BATCH_SIZE [1000]   debits per batch (1..1000)
#   BATCH_CONCURRENCY [4]   batches in flight for (c)      WALLETS [200]       seeded wallets for (b) and (c)
#   SKIP_BUILD              set: do not rebuild the app jar / load generator when they exist
#   REPO [repo holding this script]  the Tollgate checkout whose target/quarkus-app/quarkus-run.jar and Lua are used
#   TOLLGATE_REDIS_POOL_SIZE [app default 32]  passed through to Tollgate
#   TOLLGATE_JAVA_OPTS []   extra JVM options for Tollgate  LOAD_JAVA_OPTS [-Xms256m -Xmx1g]  for the generator
#   QUIET_WAIT_SECONDS [0]  wait up to this long for the machine to be ≤ 25 % busy before starting
#   KEEP_WORK               set: keep the temp dir (logs, phase JSON) even on success
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "${REPO:-$HERE/..}" && pwd)"
DURATION_SECONDS="${DURATION_SECONDS:-20}"
WARMUP_SECONDS="${WARMUP_SECONDS:-5}"
CONCURRENCY="${CONCURRENCY:-64}"
BATCH_SIZE="${BATCH_SIZE:-1000}"
BATCH_CONCURRENCY="${BATCH_CONCURRENCY:-4}"
WALLETS="${WALLETS:-200}"
LOAD_JAVA_OPTS="${LOAD_JAVA_OPTS:--Xms256m -Xmx1g}"
QUIET_WAIT_SECONDS="${QUIET_WAIT_SECONDS:-0}"
TOLLGATE_JAVA_OPTS="${TOLLGATE_JAVA_OPTS:-}"
REDIS_SERVER="${REDIS_SERVER:-redis-server}"
REDIS_CLI="${REDIS_CLI:-redis-cli}"
REDIS_BENCHMARK="${REDIS_BENCHMARK:-redis-benchmark}"

die() { echo "run.sh: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

for v in DURATION_SECONDS WARMUP_SECONDS CONCURRENCY BATCH_SIZE BATCH_CONCURRENCY WALLETS; do
  is_uint "${!v}" && (( ${!v} >= 1 )) || die "$v must be a positive integer, got '${!v}'"
done
is_uint "$QUIET_WAIT_SECONDS" || die "QUIET_WAIT_SECONDS must be a whole number of seconds"
(( BATCH_SIZE <= 1000 )) || die "BATCH_SIZE must be 1..1000 (the API's limit)"
(( DURATION_SECONDS <= 600 && WARMUP_SECONDS <= 120 )) || die "DURATION_SECONDS ≤ 600 and WARMUP_SECONDS ≤ 120, please"
for tool in "$REDIS_SERVER" "$REDIS_CLI" "$REDIS_BENCHMARK" java curl jq awk sha1sum sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH"
done
APP_JAR="$REPO/target/quarkus-app/quarkus-run.jar"
LUA_LIB="$REPO/src/main/resources/lua/lib.lua"
LUA_DEBIT="$REPO/src/main/resources/lua/debit.lua"
LOAD_JAR="$HERE/target/tollgate-load.jar"
[[ -f "$LUA_LIB" && -f "$LUA_DEBIT" ]] || die "no Lua scripts under $REPO/src/main/resources/lua"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tollgate-bench.XXXXXX")"
REDIS_PID="" TG_PID="" OK=""
cleanup() {
  local rc=$?
  if [[ -n "$TG_PID" ]] && kill -0 "$TG_PID" 2>/dev/null; then
    kill -TERM "$TG_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$TG_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$TG_PID" 2>/dev/null || true
  fi
  if [[ -n "$REDIS_PID" ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
    "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill -TERM "$REDIS_PID" 2>/dev/null || true
    for _ in $(seq 1 25); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$REDIS_PID" 2>/dev/null || true
  fi
  if [[ -n "$OK" && -z "${KEEP_WORK:-}" ]]; then
    rm -rf "$WORK"
  else
    echo "run.sh: logs and phase files kept in $WORK" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free loopback port (never 6379: the range starts above it).
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

# Busy and total CPU ticks of the whole machine (/proc/stat: user nice system idle iowait irq softirq steal).
machine_ticks() { awk '/^cpu /{t=0; for(i=2;i<=9;i++) t+=$i; print t-$5-$6, t; exit}' /proc/stat; }
# CPU seconds used by this shell's finished children (bash `times`, second line), for redis-benchmark's own CPU.
children_cpu() { awk 'NR==2{n=split($0,f," "); s=0; for(i=1;i<=n;i++){split(f[i],p,"m"); s+=p[1]*60+p[2]} printf "%.3f", s}' "$1"; }
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"

# ---- 1. builds ----
if [[ -z "${SKIP_BUILD:-}" || ! -f "$APP_JAR" ]]; then
  log "building Tollgate in $REPO"
  (cd "$REPO" && ./mvnw -q -B package -DskipTests)
fi
[[ -f "$APP_JAR" ]] || die "no $APP_JAR after the build"
if [[ -z "${SKIP_BUILD:-}" || ! -f "$LOAD_JAR" ]]; then
  log "building the load generator"
  "$HERE/../mvnw" -f "$HERE/pom.xml" -q -B package
fi
load() { java $LOAD_JAVA_OPTS -jar "$LOAD_JAR" "$@"; }

# What else is running: the result is only as good as the machine is quiet. Optionally wait for quiet.
busy_percent() {
  local b0 t0 b1 t1
  read -r b0 t0 < <(machine_ticks); sleep 2; read -r b1 t1 < <(machine_ticks)
  awk -v b="$((b1 - b0))" -v t="$((t1 - t0))" 'BEGIN{printf "%.0f", t ? 100*b/t : 0}'
}
BG_BUSY="$(busy_percent)"
QUIET_DEADLINE=$((SECONDS + QUIET_WAIT_SECONDS))
while (( BG_BUSY > 25 && SECONDS < QUIET_DEADLINE )); do
  log "machine ${BG_BUSY}% busy before the start; waiting for it to calm down (QUIET_WAIT_SECONDS=$QUIET_WAIT_SECONDS)"
  sleep 8
  BG_BUSY="$(busy_percent)"
done
if (( BG_BUSY > 25 )); then
  log "WARNING: the machine is already ${BG_BUSY}% busy before the benchmark starts; results will be low and noisy"
fi

# ---- 2. a fresh Redis, no persistence ----
REDIS_PORT="$(free_port)" || die "no free port for Redis"
mkdir -p "$WORK/redis"
"$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK/redis" \
  --logfile "$WORK/redis.log" --daemonize no >/dev/null 2>&1 &
REDIS_PID=$!
rcli() { "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
for _ in $(seq 1 50); do [[ "$(rcli ping 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
[[ "$(rcli ping 2>/dev/null)" == PONG ]] || { tail -20 "$WORK/redis.log" >&2; die "redis-server did not start on $REDIS_PORT"; }
REDIS_VERSION="$(rcli info server | awk -F: '/^redis_version:/{print $2}' | tr -d '\r')"
log "redis $REDIS_VERSION on 127.0.0.1:$REDIS_PORT (pid $REDIS_PID, no RDB/AOF)"

# ---- 3. Tollgate, prod mode ----
HTTP_PORT="$(free_port)" || die "no free port for Tollgate"
ADMIN_KEY="tg_admin_bench_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
(
  cd "$WORK"
  export TOLLGATE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" TOLLGATE_ADMIN_KEY="$ADMIN_KEY" TOLLGATE_HTTP_PORT="$HTTP_PORT"
  exec java $TOLLGATE_JAVA_OPTS -jar "$APP_JAR"
) >"$WORK/tollgate.log" 2>&1 &
TG_PID=$!
READY=""
for _ in $(seq 1 120); do
  kill -0 "$TG_PID" 2>/dev/null || { tail -40 "$WORK/tollgate.log" >&2; die "Tollgate exited during start"; }
  if curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/q/health/ready" 2>/dev/null; then READY=1; break; fi
  sleep 0.5
done
[[ -n "$READY" ]] || { tail -40 "$WORK/tollgate.log" >&2; die "Tollgate not ready after 60 s"; }
log "Tollgate ready on 127.0.0.1:$HTTP_PORT (pid $TG_PID)"

# ---- 4. seed through the public API ----
RUN_ID="r$(date -u +%s)$((RANDOM % 1000))"
load seed --port="$HTTP_PORT" --admin-key="$ADMIN_KEY" --wallets="$WALLETS" --out="$WORK" >&2
# shellcheck disable=SC1091
source "$WORK/seed.env"

# The script Tollgate runs is lib.lua + "\n" + debit.lua (LuaScript.java). One debit through the API makes Tollgate
# cache its copy; SCRIPT EXISTS on our SHA then proves (a) runs the very same script.
{ cat "$LUA_LIB"; printf '\n'; cat "$LUA_DEBIT"; } >"$WORK/debit-full.lua"
SHA="$(sha1sum "$WORK/debit-full.lua" | cut -d' ' -f1)"
PROBE_WALLET="$(head -1 "$WORK/wallets.txt")"
PROBE="$(curl -sS -X POST "http://127.0.0.1:$HTTP_PORT/v1/wallets/$PROBE_WALLET/debits" -H "Authorization: Bearer $PIPELINE_KEY" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: $RUN_ID-probe" -d '{"amountMicros":1,"origin":"manual"}')"
[[ "$(jq -r .decision <<<"$PROBE")" == approved ]] || die "probe debit through the API was not approved: $PROBE"
if [[ "$(rcli script exists "$SHA")" == 1 ]]; then
  SCRIPT_CHECK="same SHA as the script Tollgate loaded ($SHA)"
else
  SCRIPT_CHECK="WARNING: Tollgate's cached script differs from lib.lua+debit.lua in $REPO (jar built from other sources?)"
  log "$SCRIPT_CHECK"
fi
LOADED="$(rcli -x script load <"$WORK/debit-full.lua")"
[[ "$LOADED" == "$SHA" ]] || die "SCRIPT LOAD returned $LOADED, expected $SHA"

# ---- 5a. the ceiling: redis-benchmark, same script, same Redis (Tollgate idle), same concurrency ----
REQ_HASH="$(printf 'tollgate redis-benchmark request' | sha256sum | cut -d' ' -f1)"
EVENT_DATA="{\"debitId\":\"$BENCH_DEBIT_ID\",\"direction\":\"outbound\",\"forced\":false,\"origin\":\"manual\"}"
# KEYS: outbox, wallet, idempotency record, debit record; ARGV: idem ttl, record ttl, N=1, tenant, then per item
# a spec "walletId|requestHash|debitId|amount|origin|direction|force|currency|channel" and the event data (debit.lua).
DEBIT_ARGS=(4 "$BENCH_OUTBOX_KEY" "$BENCH_WALLET_KEY" "KEYPLACEHOLDER" "$BENCH_RECORD_KEY" 86400 172800 1
  "$TENANT_ID" "$BENCH_WALLET|$REQ_HASH|$BENCH_DEBIT_ID|1|manual|outbound|0||" "$EVENT_DATA")
args_with_idem() { local a=("${DEBIT_ARGS[@]}"); a[3]="$1"; printf '%s\0' "${a[@]}"; }
mapfile -d '' MANUAL < <(args_with_idem "${BENCH_IDEM_PREFIX}manual-$RUN_ID")
REPLY_FIRST="$(rcli evalsha "$SHA" "${MANUAL[@]}" | head -1)"
[[ "$REPLY_FIRST" == approved\|* ]] || die "a manual EVALSHA of the benchmark command answered '$REPLY_FIRST', not approved"
mapfile -d '' BENCH_ARGS < <(args_with_idem "${BENCH_IDEM_PREFIX}rb:__rand_int__")
redis_cpu() { rcli info cpu | awk -F: '/^used_cpu_(sys|user):/{s+=$2} END{printf "%.3f", s}'; }
redis_stat() { rcli info stats | awk -F: -v k="$1" '$1==k{print $2+0}'; }
# Every command Redis ran since the last CONFIG RESETSTAT: "evalsha 1234 × 45.6 µs, hgetall 3 × 5.1 µs".
redis_commands() { rcli info commandstats | tr -d '\r' | awk -F'[:,=]' '/^cmdstat_/{sub("cmdstat_","",$1); printf "%s%s %s × %s µs", sep, $1, $3, $7; sep=", "}'; }
bench() { "$REDIS_BENCHMARK" -h 127.0.0.1 -p "$REDIS_PORT" -c "$CONCURRENCY" -n "$1" -r 1000000000 --csv EVALSHA "$SHA" "${BENCH_ARGS[@]}"; }

log "(a) calibrating redis-benchmark"
CAL_RPS="$(bench 20000 | tail -1 | awk -F'","' '{print $(NF-6)+0}')"
A_N="$(awk -v r="$CAL_RPS" -v d="$DURATION_SECONDS" 'BEGIN{n=int(r*d); if(n<10000)n=10000; if(n>50000000)n=50000000; print n}')"
log "(a) redis-benchmark EVALSHA, $CONCURRENCY connections, $A_N calls (~$DURATION_SECONDS s at ${CAL_RPS}/s)"
SEQ0="$(rcli hget "$BENCH_WALLET_KEY" seq)"
rcli config resetstat >/dev/null
CPU0="$(redis_cpu)"; read -r M0 _ < <(machine_ticks); times >"$WORK/times0"; T0="$(date +%s.%N)"
bench "$A_N" >"$WORK/a.csv"
T1="$(date +%s.%N)"; times >"$WORK/times1"; read -r M1 _ < <(machine_ticks); CPU1="$(redis_cpu)"
SEQ1="$(rcli hget "$BENCH_WALLET_KEY" seq)"
A_FRESH=$((SEQ1 - SEQ0))
A_ERRORS="$(redis_stat total_error_replies)"
A_REPLAYED=$((A_N - A_FRESH - A_ERRORS))
A_REDIS_CPU="$(awk -v c0="$CPU0" -v c1="$CPU1" -v t0="$T0" -v t1="$T1" 'BEGIN{printf "%.2f", (c1-c0)/(t1-t0)}')"
A_BENCH_CPU="$(awk -v c0="$(children_cpu "$WORK/times0")" -v c1="$(children_cpu "$WORK/times1")" -v t0="$T0" -v t1="$T1" \
  'BEGIN{printf "%.2f", (c1-c0)/(t1-t0)}')"
A_OTHER_CPU="$(awk -v m="$((M1 - M0))" -v hz="$CLK_TCK" -v t0="$T0" -v t1="$T1" -v r="$A_REDIS_CPU" -v b="$A_BENCH_CPU" \
  'BEGIN{o=m/hz/(t1-t0)-r-b; if(o<0)o=0; printf "%.2f", o}')"
A_REDIS_CMDS="$(redis_commands)"
log "(a) $(tail -1 "$WORK/a.csv" | awk -F'","' '{print $(NF-6)}') calls/s; $A_FRESH fresh approvals, $A_REPLAYED replays (random-key collisions), $A_ERRORS error replies"

# ---- 5b/5c. Tollgate ----
WATCH=(--watch="tollgate:$TG_PID" --watch="redis:$REDIS_PID" --clk-tck="$CLK_TCK")
COMMON=(--port="$HTTP_PORT" --pipeline-key="$PIPELINE_KEY" --wallets-file="$WORK/wallets.txt" --run-id="$RUN_ID"
  --warmup="$WARMUP_SECONDS" --duration="$DURATION_SECONDS" "${WATCH[@]}")

log "(b) peak: closed loop, $CONCURRENCY in flight, ${WARMUP_SECONDS}s warm-up + ${DURATION_SECONDS}s"
rcli config resetstat >/dev/null
load single-closed "${COMMON[@]}" --phase=b-peak --concurrency="$CONCURRENCY" --out="$WORK/b-peak.json" >&2
B_PEAK_REDIS_CMDS="$(redis_commands)"
HALF_RATE="$(jq -r '.debitsPerSecond / 2 | floor' "$WORK/b-peak.json")"
(( HALF_RATE >= 1 )) || die "(b) peak measured no debits; see $WORK/tollgate.log"

log "(b) half: open loop at $HALF_RATE/s, ${WARMUP_SECONDS}s warm-up + ${DURATION_SECONDS}s"
rcli config resetstat >/dev/null
load single-open "${COMMON[@]}" --phase=b-half --concurrency="$CONCURRENCY" --rate="$HALF_RATE" --out="$WORK/b-half.json" >&2
B_HALF_REDIS_CMDS="$(redis_commands)"

log "(c) batch: $BATCH_CONCURRENCY batches of $BATCH_SIZE in flight, ${WARMUP_SECONDS}s warm-up + ${DURATION_SECONDS}s"
rcli config resetstat >/dev/null
load batch "${COMMON[@]}" --phase=c --concurrency="$BATCH_CONCURRENCY" --batch-size="$BATCH_SIZE" --out="$WORK/c.json" >&2
C_REDIS_CMDS="$(redis_commands)"

# ---- 6. report ----
kill -0 "$TG_PID" 2>/dev/null || die "Tollgate died during the run; see $WORK/tollgate.log"
TG_WARN="$(grep -c ' WARN ' "$WORK/tollgate.log" || true)"
TG_ERROR="$(grep -c ' ERROR ' "$WORK/tollgate.log" || true)"
TG_FIRST_ERROR="$(grep -m1 -E ' (ERROR|WARN) ' "$WORK/tollgate.log" | cut -c1-200 | tr '|' '/' || true)"
REDIS_MEM="$(rcli info memory | awk -F: '/^used_memory_human:/{print $2}' | tr -d '\r')"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$HERE/results"
OUT="$HERE/results/$STAMP.md"
COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo '+uncommitted')"
load report --timestamp="$STAMP UTC" --concurrency="$CONCURRENCY" --a-csv="$WORK/a.csv" --a-requests="$A_N" \
  --a-approved="$((A_N - A_ERRORS))" --a-redis-cpu="$A_REDIS_CPU" --a-bench-cpu="$A_BENCH_CPU" --a-other-cpu="$A_OTHER_CPU" \
  --b-peak="$WORK/b-peak.json" --b-half="$WORK/b-half.json" --c="$WORK/c.json" --out="$OUT" \
  --meta="Machine=$(nproc) cores ($(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); generator, Tollgate, Redis and redis-benchmark share these cores; ${BG_BUSY}% busy before the run started" \
  --meta="Tollgate=$APP_JAR (git $COMMIT), prod mode, $(java -version 2>&1 | head -1), JVM options '${TOLLGATE_JAVA_OPTS}', Redis pool TOLLGATE_REDIS_POOL_SIZE=${TOLLGATE_REDIS_POOL_SIZE:-32 (app default)}" \
  --meta="Redis=$REDIS_VERSION, fresh, one instance on 127.0.0.1:$REDIS_PORT used by Tollgate AND by (a) (Tollgate idle during (a)), --save '' --appendonly no, used_memory at end $REDIS_MEM" \
  --meta="(a) script=$SCRIPT_CHECK; one EVALSHA by hand answered '$REPLY_FIRST'; $A_N calls: $A_FRESH fresh approvals + $A_REPLAYED idempotent replays (redis-benchmark -r collisions), $A_ERRORS error replies; same wallet, debit record key fixed, idempotency key random" \
  --meta="Redis commands per phase (calls × µs per call, warm-up included)=(a) $A_REDIS_CMDS; (b) peak $B_PEAK_REDIS_CMDS; (b) half $B_HALF_REDIS_CMDS; (c) $C_REDIS_CMDS" \
  --meta="Phases=warm-up ${WARMUP_SECONDS}s (discarded) then ${DURATION_SECONDS}s measured; $WALLETS wallets over $WALLET_BUCKETS_COVERED of 64 buckets; debits of 1 micro, origin manual, one Idempotency-Key each; CPU cores = CPU seconds per wall second inside the measured window" \
  --meta="Tollgate log=$TG_WARN WARN, $TG_ERROR ERROR lines${TG_FIRST_ERROR:+; first: $TG_FIRST_ERROR}"
echo
echo "results written to $OUT"
OK=1
