#!/usr/bin/env bash
# Tollgate debit benchmark: one command, one machine. See load-tests/README.md.
#
#   load-tests/run.sh
#
# (a) ceiling    redis-benchmark runs debit.lua (exactly the script Tollgate loads) by EVALSHA, CONCURRENCY connections
# (b) peak       POST /v1/wallets/{id}/debits, closed loop, CONCURRENCY requests in flight
#     half       the same endpoint, open loop at half of (b)'s peak, latency from the intended send time
# (c) batch      POST /v1/debit-batches, BATCH_SIZE debits per batch, BATCH_CONCURRENCY batches in flight
# (d) pipeline   on a fresh Tollgate/Redis/Kafka/PostgreSQL: (b) peak's load for D_DURATION_SECONDS, then debit → ledger-row
#                latency, the outbox / ledger backlogs sampled every D_SAMPLE_SECONDS, catch-up and Redis = ledger check
# The table goes to stdout and to load-tests/results/<UTC timestamp>.md.
#
# Environment (defaults in brackets):
#   PHASES [abcd]           which phases to run (any of a b c d; (b) is peak + half)
#   ABC_MODE [gateway]      (a)-(c) measure the hot path: Tollgate as a gateway pod with its outbox relay off, so the
#                           in-JVM Kafka broker, the ledger writer and PostgreSQL stay idle and the cores go to the
#                           gateway and Redis, as (a)'s ceiling is measured; (d) measures the pipeline. full: the relay and
#                           the whole pipeline run during (a)-(c) too, on the same cores (the figures before 2026-12-01)
#   RESET_STATE [1]         gateway mode: each phase of (a)-(c) starts from the same Redis state (the seeded wallets, no
#                           debit records, empty outboxes; nothing relays them in this mode); 0: a phase runs on what the
#                           phases before it left (as before 2026-12-01: (c) then paid for ~1.5 million more records than (a))
#   DURATION_SECONDS [20]   measured seconds per phase (a)-(c)  WARMUP_SECONDS [10]  unmeasured warm-up before (b), (c)
#   CONCURRENCY [64]        connections for (a); in flight for (b) and (d)   BATCH_SIZE [1000]  debits per batch (1..1000)
#   BATCH_CONCURRENCY [4]   batches in flight for (c)      WALLETS [200]       seeded wallets for (b), (c), (d)
#   BATCH_WALLETS [1]       wallets per batch in (c): 1 = an SMS campaign on one wallet; WALLETS = spread over every bucket
#   D_DURATION_SECONDS [180] measured seconds of (d); at least 180 unless QUICK=1   D_WARMUP_SECONDS [15]
#   D_SAMPLE_SECONDS [5]    backlog sampling interval under load   D_CATCHUP_MAX_SECONDS [300]  wait for the ledger after (d)
#   D_FLAT_SLACK [1000]     absolute slack (events) of the flat-backlog rule (1 s for the oldest-unrelayed metric)
#   QUICK                   set to 1: allow D_DURATION_SECONDS < 180 (development only; the result is not the issue's test)
#   JIT_WARMUP_MAX_SECONDS [300]  before any measurement, load Tollgate in rounds of JIT_ROUND_SECONDS [10] until its JIT
#                           compiler threads use less than JIT_SETTLED_CORES [0.05] cores over a round, at most this long
#                           (0: no JIT warm-up, as before 2026-11-22: a fresh JVM is then measured while it still compiles)
#   DRAIN_MAX_SECONDS [120] before each phase, wait at most this long for the pipeline to carry every earlier event
#   READY_TIMEOUT_SECONDS [90]  how long Tollgate (and its embedded Kafka + PostgreSQL) may take to become ready
#   SKIP_BUILD              set: do not rebuild the app jar / load generator when they exist
#   REPO [repo holding this script]  the Tollgate checkout whose target/quarkus-app/quarkus-run.jar and Lua are used
#   TOLLGATE_REDIS_POOL_SIZE [app default 32]  passed through to Tollgate
#   TOLLGATE_EVENT_LOOPS [1] the gateway pod's Vert.x event loops in (a)-(c) (QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE; '' =
#                           Quarkus' default, 2 here; (d) and ABC_MODE=full keep the default): Tollgate's share of this 2-core box, next to Redis and the generator, is under one
#                           core, and a second loop cost CPU and tail at half load (docs/operating/benchmarks.md)
#   TOLLGATE_JAVA_OPTS [-XX:+UseParallelGC]  JVM options for Tollgate (set to '' for the JVM's default, G1)
#   LOAD_JAVA_OPTS [-Xms256m -Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn128m]  for the generator: C1 only, so
#                           the generator's own C2 compiles (a core for 1-2 s, seen mid-window) never steal the machine
#   FIXED_HALF_RATE         set: (b) half runs at this many debits/s instead of half the measured peak, to compare
#                           CPU per debit at equal load (A/B); the report then marks the p99 check "not tested"
#   QUIET_WAIT_SECONDS [0]  wait up to this long for the machine to be ≤ 25 % busy before starting
#   STALL_MICROS [2000]     Redis' slowlog threshold: commands of (a) and (b) that ran this long are counted as stalls
#   KEEP_WORK               set: keep the temp dir (logs, phase files, Kafka/PostgreSQL data) even on success
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "${REPO:-$HERE/..}" && pwd)"
PHASES="${PHASES:-abcd}"
DURATION_SECONDS="${DURATION_SECONDS:-20}"
WARMUP_SECONDS="${WARMUP_SECONDS:-10}"
ABC_MODE="${ABC_MODE:-gateway}"
RESET_STATE="${RESET_STATE:-1}"
CONCURRENCY="${CONCURRENCY:-64}"
BATCH_SIZE="${BATCH_SIZE:-1000}"
BATCH_CONCURRENCY="${BATCH_CONCURRENCY:-4}"
BATCH_WALLETS="${BATCH_WALLETS:-1}"
WALLETS="${WALLETS:-200}"
D_DURATION_SECONDS="${D_DURATION_SECONDS:-180}"
D_WARMUP_SECONDS="${D_WARMUP_SECONDS:-15}"
D_SAMPLE_SECONDS="${D_SAMPLE_SECONDS:-5}"
D_CATCHUP_MAX_SECONDS="${D_CATCHUP_MAX_SECONDS:-300}"
D_FLAT_SLACK="${D_FLAT_SLACK:-1000}"
QUICK="${QUICK:-}"
READY_TIMEOUT_SECONDS="${READY_TIMEOUT_SECONDS:-90}"
LOAD_JAVA_OPTS="${LOAD_JAVA_OPTS:--Xms256m -Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn128m}"
QUIET_WAIT_SECONDS="${QUIET_WAIT_SECONDS:-0}"
JIT_WARMUP_MAX_SECONDS="${JIT_WARMUP_MAX_SECONDS:-300}"
JIT_ROUND_SECONDS="${JIT_ROUND_SECONDS:-10}"
JIT_SETTLED_CORES="${JIT_SETTLED_CORES:-0.05}"
DRAIN_MAX_SECONDS="${DRAIN_MAX_SECONDS:-120}"
STALL_MICROS="${STALL_MICROS:-2000}"
TOLLGATE_EVENT_LOOPS="${TOLLGATE_EVENT_LOOPS-1}"
# Parallel GC for Tollgate: a debit leaves almost nothing alive, so young collections are short and, at Parallel's
# default young size, about 10 s apart; G1 stopped both cores for 5-10 ms every ~2 s at half load, and each stop left
# a queue behind it (docs/operating/benchmarks.md, 2026-12-01). TOLLGATE_JAVA_OPTS replaces it, so '' measures G1.
TOLLGATE_JAVA_OPTS="${TOLLGATE_JAVA_OPTS--XX:+UseParallelGC}"
REDIS_SERVER="${REDIS_SERVER:-redis-server}"
REDIS_CLI="${REDIS_CLI:-redis-cli}"
REDIS_BENCHMARK="${REDIS_BENCHMARK:-redis-benchmark}"
PSQL="${PSQL:-psql}"
BUCKETS=64 # Tollgate's tollgate.buckets (application.properties); Seed computes buckets the same way

die() { echo "run.sh: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
has() { [[ "$PHASES" == *"$1"* ]]; }

[[ "$PHASES" =~ ^[abcd]+$ ]] || die "PHASES is a combination of the letters a b c d (e.g. abcd, d), got '$PHASES'"
for v in DURATION_SECONDS WARMUP_SECONDS CONCURRENCY BATCH_SIZE BATCH_CONCURRENCY BATCH_WALLETS WALLETS D_DURATION_SECONDS D_WARMUP_SECONDS \
  D_SAMPLE_SECONDS D_CATCHUP_MAX_SECONDS D_FLAT_SLACK READY_TIMEOUT_SECONDS; do
  is_uint "${!v}" && (( ${!v} >= 1 )) || die "$v must be a positive integer, got '${!v}'"
done
[[ -z "${FIXED_HALF_RATE:-}" ]] || { is_uint "$FIXED_HALF_RATE" && (( FIXED_HALF_RATE >= 1 && FIXED_HALF_RATE <= 100000 )); } \
  || die "FIXED_HALF_RATE must be 1..100000 debits/s"
[[ -z "$TOLLGATE_EVENT_LOOPS" ]] || { is_uint "$TOLLGATE_EVENT_LOOPS" && (( TOLLGATE_EVENT_LOOPS >= 1 && TOLLGATE_EVENT_LOOPS <= 64 )); } \
  || die "TOLLGATE_EVENT_LOOPS must be 1..64 or empty (Quarkus' default)"
is_uint "$QUIET_WAIT_SECONDS" || die "QUIET_WAIT_SECONDS must be a whole number of seconds"
is_uint "$JIT_WARMUP_MAX_SECONDS" && (( JIT_WARMUP_MAX_SECONDS <= 1800 )) || die "JIT_WARMUP_MAX_SECONDS must be 0..1800"
is_uint "$JIT_ROUND_SECONDS" && (( JIT_ROUND_SECONDS >= 2 && JIT_ROUND_SECONDS <= 60 )) || die "JIT_ROUND_SECONDS must be 2..60"
is_uint "$DRAIN_MAX_SECONDS" && (( DRAIN_MAX_SECONDS <= 1800 )) || die "DRAIN_MAX_SECONDS must be 0..1800"
[[ "$JIT_SETTLED_CORES" =~ ^0?\.[0-9]+$|^[01]$ ]] || die "JIT_SETTLED_CORES must be a number of cores between 0 and 1, got '$JIT_SETTLED_CORES'"
(( BATCH_SIZE <= 1000 )) || die "BATCH_SIZE must be 1..1000 (the API's limit)"
(( DURATION_SECONDS <= 600 && WARMUP_SECONDS <= 120 )) || die "DURATION_SECONDS ≤ 600 and WARMUP_SECONDS ≤ 120, please"
(( D_DURATION_SECONDS <= 1800 && D_WARMUP_SECONDS <= 120 )) || die "D_DURATION_SECONDS ≤ 1800 and D_WARMUP_SECONDS ≤ 120, please"
(( D_SAMPLE_SECONDS <= 60 && D_CATCHUP_MAX_SECONDS <= 1800 && READY_TIMEOUT_SECONDS <= 600 )) \
  || die "D_SAMPLE_SECONDS ≤ 60, D_CATCHUP_MAX_SECONDS ≤ 1800 and READY_TIMEOUT_SECONDS ≤ 600, please"
if has d && (( D_DURATION_SECONDS < 180 )) && [[ "$QUICK" != 1 ]]; then
  die "D_DURATION_SECONDS must be at least 180 (the issue asks for ≥ 3 minutes); QUICK=1 allows less for development"
fi
TOOLS=("$REDIS_SERVER" "$REDIS_CLI" java curl jq awk sha1sum sha256sum "$PSQL")
has a && TOOLS+=("$REDIS_BENCHMARK")
for tool in "${TOOLS[@]}"; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH"
done
APP_JAR="$REPO/target/quarkus-app/quarkus-run.jar"
LUA_LIB="$REPO/src/main/resources/lua/lib.lua"
LUA_DEBIT="$REPO/src/main/resources/lua/debit.lua"
LOAD_JAR="$HERE/target/tollgate-load.jar"
[[ -f "$LUA_LIB" && -f "$LUA_DEBIT" ]] || die "no Lua scripts under $REPO/src/main/resources/lua"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tollgate-bench.XXXXXX")"
REDIS_PID="" TG_PID="" PG_PID="" GEN_PID="" OK="" STACK=0 SDIR=""

# Stops what the current stack runs: Tollgate (its embedded Kafka goes with the JVM), the PostgreSQL it started (a
# separate process that outlives a killed JVM), Redis. Every process is addressed by the pid we know it by.
stop_stack() {
  if [[ -n "$TG_PID" ]] && kill -0 "$TG_PID" 2>/dev/null; then
    kill -TERM "$TG_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$TG_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$TG_PID" 2>/dev/null || true
    for _ in $(seq 1 25); do kill -0 "$TG_PID" 2>/dev/null || break; sleep 0.2; done
  fi
  TG_PID=""
  if [[ -n "$PG_PID" ]] && kill -0 "$PG_PID" 2>/dev/null; then
    kill -INT "$PG_PID" 2>/dev/null || true # PostgreSQL's fast shutdown
    for _ in $(seq 1 50); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$PG_PID" 2>/dev/null || true
  fi
  PG_PID=""
  if [[ -n "$REDIS_PID" ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
    "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill -TERM "$REDIS_PID" 2>/dev/null || true
    for _ in $(seq 1 25); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$REDIS_PID" 2>/dev/null || true
  fi
  REDIS_PID=""
}
cleanup() {
  local rc=$?
  if [[ -n "$GEN_PID" ]] && kill -0 "$GEN_PID" 2>/dev/null; then kill -TERM "$GEN_PID" 2>/dev/null || true; fi
  stop_stack
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
# A free port below the kernel's ephemeral range: a port inside it can be taken between this check and the bind by
# an outgoing connection (Tollgate's own Kafka and PostgreSQL clients connect first), as one run on 2026-12-01 was
# ("Address already in use" at Tollgate's start).
free_port() {
  local p low
  low="$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
  (( low > 11000 )) || low=60000
  for _ in $(seq 1 200); do
    p=$((10000 + RANDOM % (low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

# Busy and total CPU ticks of the whole machine (/proc/stat: user nice system idle iowait irq softirq steal).
# busy (steal included), total and steal ticks of all CPUs
machine_ticks() { awk '/^cpu /{t=0; for(i=2;i<=9;i++) t+=$i; print t-$5-$6, t, $9; exit}' /proc/stat; }
# CPU seconds used by this shell's finished children (bash `times`, second line), for redis-benchmark's own CPU.
children_cpu() { awk 'NR==2{n=split($0,f," "); s=0; for(i=1;i<=n;i++){split(f[i],p,"m"); s+=p[1]*60+p[2]} printf "%.3f", s}' "$1"; }
# utime + stime of one process, in clock ticks.
proc_ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# A process tree (PostgreSQL): the process, its reaped children (cutime + cstime) and its live children.
tree_ticks() {
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '{pid = $1; sub(/^.*\) /, ""); if (pid == root) t += $12 + $13 + $14 + $15;
    else if ($2 == root) t += $12 + $13} END {print t + 0}'
}
# utime + stime of a JVM's JIT compiler threads (C1 and C2 CompilerThread<n>), in clock ticks.
jit_ticks() {
  local t=0 task comm
  for task in /proc/"$1"/task/*; do
    read -r comm <"$task/comm" 2>/dev/null || continue
    [[ "$comm" == "C1 CompilerThre"* || "$comm" == "C2 CompilerThre"* ]] || continue
    t=$((t + $(awk '{sub(/^.*\) /, ""); print $12 + $13}' "$task/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
# Cores the JIT compiler threads used between two jit_ticks readings $1 and $2 taken at times $3 and $4 (date +%s.%N).
jit_cores() { awk -v a="$1" -v b="$2" -v t0="$3" -v t1="$4" -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", (t1 > t0 ? (b - a) / hz / (t1 - t0) : 0)}'; }
now_ms() { date +%s%3N; }

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
  read -r b0 t0 _ < <(machine_ticks); sleep 2; read -r b1 t1 _ < <(machine_ticks)
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
# The machine's own hiccups, before any load: one thread spins reading the clock for 5 s and reports the longest gap
# (the hypervisor or the kernel took the core away). On the 2-vCPU VMs this runs on: 0.5-14 ms, changing by the hour.
INTRINSIC_MICROS="$("$REDIS_CLI" --intrinsic-latency 5 2>/dev/null | grep -o 'Max latency so far: [0-9]*' | tail -1 | grep -o '[0-9]*$' || true)"

rcli() { "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
pq() { "$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -XAtq -v ON_ERROR_STOP=1 -F $'\t' "$@"; }

# ---- 2.-4. a stack: a fresh Redis (no persistence), Tollgate in prod mode with its own embedded Kafka and
# PostgreSQL in a fresh data folder under $WORK, seeded through the public API ----
start_stack() {
  STACK=$((STACK + 1))
  SDIR="$WORK/stack$STACK"
  mkdir -p "$SDIR/redis"
  REDIS_PORT="$(free_port)" || die "no free port for Redis"
  "$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$SDIR/redis" \
    --logfile "$SDIR/redis.log" --daemonize no >/dev/null 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 50); do [[ "$(rcli ping 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
  [[ "$(rcli ping 2>/dev/null)" == PONG ]] || { tail -20 "$SDIR/redis.log" >&2; die "redis-server did not start on $REDIS_PORT"; }
  REDIS_VERSION="$(rcli info server | awk -F: '/^redis_version:/{print $2}' | tr -d '\r')"
  rcli config set slowlog-log-slower-than "$STALL_MICROS" slowlog-max-len 100000 >/dev/null
  log "stack $STACK: redis $REDIS_VERSION on 127.0.0.1:$REDIS_PORT (pid $REDIS_PID, no RDB/AOF)"

  HTTP_PORT="$(free_port)" || die "no free port for Tollgate"
  ADMIN_KEY="tg_admin_bench_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  TG_DATA="$SDIR/tollgate-data"
  TG_LOG="$SDIR/tollgate.log"
  (
    cd "$SDIR"
    # The embedded Kafka broker and PostgreSQL, in this stack's own folder: never an external one from the caller's
    # environment, never the repository's .tollgate/.
    unset TOLLGATE_KAFKA_BOOTSTRAP TOLLGATE_DATABASE_URL
    export TOLLGATE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" TOLLGATE_ADMIN_KEY="$ADMIN_KEY" TOLLGATE_HTTP_PORT="$HTTP_PORT" \
      TOLLGATE_DATA_DIR="$TG_DATA"
    # A gateway pod: debits append to the outbox, nothing relays it (STACK_RELAY is set per stack below).
    [[ "${STACK_RELAY:-true}" == true ]] || export TOLLGATE_RELAY_ENABLED=false
    # The gateway pod of (a)-(c) only: (d)'s stack also runs the relay and the ledger writer, and keeps the default.
    [[ -z "$TOLLGATE_EVENT_LOOPS" || "${STACK_RELAY:-true}" == true ]] || export QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE="$TOLLGATE_EVENT_LOOPS"
    exec java $TOLLGATE_JAVA_OPTS -jar "$APP_JAR"
  ) >"$TG_LOG" 2>&1 &
  TG_PID=$!
  disown "$TG_PID" # stop_stack may have to kill it: no "Killed" notice from bash
  local ready="" t0=$SECONDS
  while (( SECONDS - t0 < READY_TIMEOUT_SECONDS )); do
    kill -0 "$TG_PID" 2>/dev/null || { tail -40 "$TG_LOG" >&2; die "Tollgate exited during start"; }
    # The PostgreSQL Tollgate starts is a separate process: note its pid as soon as it exists, to stop it on any exit.
    if [[ -z "$PG_PID" && -f "$TG_DATA/postgres/pgdata/postmaster.pid" ]]; then PG_PID="$(head -1 "$TG_DATA/postgres/pgdata/postmaster.pid")"; fi
    if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$HTTP_PORT/q/health/ready" 2>/dev/null; then ready=1; break; fi
    sleep 0.5
  done
  [[ -n "$ready" ]] || { tail -40 "$TG_LOG" >&2; die "Tollgate not ready after $READY_TIMEOUT_SECONDS s"; }
  TG_READY_SECONDS=$((SECONDS - t0))
  TG_READY_LINES="$(wc -l <"$TG_LOG")"
  PG_PORT="$(grep -oE 'Embedded PostgreSQL on 127\.0\.0\.1:[0-9]+' "$TG_LOG" | head -1 | sed 's/.*://')"
  [[ -n "$PG_PORT" ]] || die "no 'Embedded PostgreSQL on 127.0.0.1:<port>' line in $TG_LOG (is TOLLGATE_DATABASE_URL set in the app config?)"
  PG_PID="$(head -1 "$TG_DATA/postgres/pgdata/postmaster.pid" 2>/dev/null || true)"
  [[ -n "$PG_PID" ]] && kill -0 "$PG_PID" 2>/dev/null || die "no running PostgreSQL under $TG_DATA/postgres/pgdata"
  KAFKA_PORT="$(grep -oE 'Embedded Kafka \(KRaft\) on 127\.0\.0\.1:[0-9]+' "$TG_LOG" | head -1 | sed 's/.*://')"
  log "stack $STACK: Tollgate ready on 127.0.0.1:$HTTP_PORT after ${TG_READY_SECONDS}s (pid $TG_PID; embedded PostgreSQL 127.0.0.1:$PG_PORT pid $PG_PID, Kafka 127.0.0.1:${KAFKA_PORT:-?}, data in $TG_DATA)"
  if has d; then
    [[ "$(pq -c 'select 1' 2>&1)" == 1 ]] || die "psql cannot reach the embedded PostgreSQL on $PG_PORT as postgres/postgres"
  fi

  RUN_ID="r$(date -u +%s)$((RANDOM % 1000))"
  load seed --port="$HTTP_PORT" --admin-key="$ADMIN_KEY" --wallets="$WALLETS" --buckets="$BUCKETS" --out="$SDIR" >&2
  # shellcheck disable=SC1091
  source "$SDIR/seed.env"
  WATCH=(--watch="tollgate:$TG_PID" --watch="redis:$REDIS_PID" --watch-tree="postgres:$PG_PID" --clk-tck="$CLK_TCK")
}

tg_log_summary() { # "N WARN, M ERROR lines after ready (K WARN/ERROR during start); first after ready: …"
  local after warn error start first
  after="$(tail -n +"$((TG_READY_LINES + 1))" "$TG_LOG")"
  warn="$(grep -c ' WARN ' <<<"$after" || true)"
  error="$(grep -c ' ERROR ' <<<"$after" || true)"
  start="$(head -n "$TG_READY_LINES" "$TG_LOG" | grep -cE ' (WARN|ERROR) ' || true)"
  first="$(grep -m1 -E ' (ERROR|WARN) ' <<<"$after" | cut -c1-200 | tr '|' '/' || true)"
  printf '%s WARN, %s ERROR lines after it was ready (%s WARN/ERROR while starting: config deprecation, Kafka topic metadata races)%s' \
    "$warn" "$error" "$start" "${first:+; first after ready: $first}"
}

# Backlog sampling (phase (d), and once after (c)). One Lua call gives an atomic Redis snapshot: for each of the 64
# bucket streams, the entries group `relay` has not acknowledged = lag (entries not yet delivered to the group, from
# XINFO GROUPS; Redis 7) + pending (delivered, not acknowledged); when Redis cannot tell the lag (NULL after deletions
# inside the stream) the undelivered entries are counted with XRANGE from last-delivered-id instead. It also sums the
# seq field of the given wallet hashes. Read-only: nothing in Redis changes.
cat >"$WORK/backlog.lua" <<'LUA'
local outbox, unknown = 0, 0
for b = 0, tonumber(ARGV[1]) - 1 do
  local key = 'tg:{b' .. b .. '}:outbox'
  if redis.call('EXISTS', key) == 1 then
    local found = false
    for _, g in ipairs(redis.call('XINFO', 'GROUPS', key)) do
      local f = {}
      for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
      if f['name'] == 'relay' then
        found = true
        local lag = f['lag']
        if not lag then
          unknown = unknown + 1
          lag = #redis.call('XRANGE', key, '(' .. f['last-delivered-id'], '+', 'COUNT', 1000000)
        end
        outbox = outbox + lag + f['pending']
      end
    end
    if not found then unknown = unknown + 1; outbox = outbox + redis.call('XLEN', key) end
  end
end
local seq = 0
for _, k in ipairs(KEYS) do seq = seq + (tonumber(redis.call('HGET', k, 'seq')) or 0) end
return {outbox, unknown, seq}
LUA
cat >"$WORK/wallet-state.lua" <<'LUA'
local out = {}
for _, k in ipairs(KEYS) do
  local v = redis.call('HMGET', k, 'seq', 'bal')
  out[#out + 1] = v[1] or ''
  out[#out + 1] = v[2] or ''
end
return out
LUA
# One sample, tab-separated: epoch ms, stage, outbox unacknowledged, buckets counted by XRANGE, Σ seq, ledger rows,
# tollgate_outbox_oldest_unrelayed_seconds. Uses S_KEYS (wallet hashes) and S_IDS ("{id,id,...}", for SQL).
backlog_sample() {
  local ts redis rows oldest outbox unknown seqsum
  ts="$(now_ms)"
  redis="$(rcli --eval "$WORK/backlog.lua" "${S_KEYS[@]}" , "$BUCKETS" 2>/dev/null | paste -sd' ')" || return 1
  read -r outbox unknown seqsum <<<"$redis"
  rows="$(pq -v ids="$S_IDS" <<<"select count(*) from ledger_entry where wallet_id = any(:'ids'::varchar[]);" 2>/dev/null)" || return 1
  oldest="$(curl -fsS --max-time 2 "http://127.0.0.1:$HTTP_PORT/q/metrics" 2>/dev/null \
    | awk '$1 == "tollgate_outbox_oldest_unrelayed_seconds" {print $2; exit}' || true)"
  is_uint "${outbox:-x}" && is_uint "${seqsum:-x}" && is_uint "${rows:-x}" || return 1
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ts" "$1" "$outbox" "$unknown" "$seqsum" "$rows" "$oldest"
}

# The JIT warm-up. A fresh Tollgate JVM (Quarkus, Vert.x, Hibernate, the Kafka client and the in-JVM broker) keeps its C2
# compiler busy for minutes under load on 2 cores: measured 2026-11-22, a core of compiling for the first 60 s, so that
# a 5 s warm-up measured a JVM spending half the machine on compiling (1,466 debits/s against 5,176/s after 100 s).
# A pod serves for days; the phases measure that pod. Rounds of the phases' own load (single debits, and batches when
# (c) runs) until the compiler threads use less than JIT_SETTLED_CORES over a round. Sets JIT_WARM_SUMMARY.
jit_warmup() {
  local with_batches="$1" start=$SECONDS round=0 j0 j1 t0 t1 cores settled=""
  local warm=(--port="$HTTP_PORT" --pipeline-key="$PIPELINE_KEY" --wallets-file="$SDIR/wallets.txt" --warmup=0)
  if (( JIT_WARMUP_MAX_SECONDS == 0 )); then JIT_WARM_SUMMARY="none (JIT_WARMUP_MAX_SECONDS=0)"; return 0; fi
  while :; do
    round=$((round + 1))
    j0="$(jit_ticks "$TG_PID")"; t0="$(date +%s.%N)"
    # a run id per round: every debit fresh (a reused Idempotency-Key would be a cheap replay)
    load single-closed "${warm[@]}" --run-id="$RUN_ID-jit$round" --phase="jit-$round" --concurrency="$CONCURRENCY" --duration="$JIT_ROUND_SECONDS" \
      --out="$SDIR/jit-warm.json" >/dev/null 2>&1 || die "the JIT warm-up's load failed (round $round); see $TG_LOG"
    if [[ -n "$with_batches" ]]; then
      load batch "${warm[@]}" --run-id="$RUN_ID-jit$round" --phase="jit-$round-batch" --concurrency="$BATCH_CONCURRENCY" --batch-size="$BATCH_SIZE" \
        --batch-wallets="$BATCH_WALLETS" --duration="$(( (JIT_ROUND_SECONDS + 1) / 2 ))" --out="$SDIR/jit-warm.json" >/dev/null 2>&1 \
        || die "the JIT warm-up's batch load failed (round $round); see $TG_LOG"
    fi
    j1="$(jit_ticks "$TG_PID")"; t1="$(date +%s.%N)"
    cores="$(jit_cores "$j0" "$j1" "$t0" "$t1")"
    log "JIT warm-up round $round: $(jq -r '.debitsPerSecond | floor' "$SDIR/jit-warm.json" 2>/dev/null || echo ?) debits/s in its last load, compiler threads $cores cores"
    if awk -v c="$cores" -v s="$JIT_SETTLED_CORES" 'BEGIN{exit !(c < s)}'; then settled=1; break; fi
    (( SECONDS - start < JIT_WARMUP_MAX_SECONDS )) || break
  done
  JIT_WARM_SUMMARY="$((SECONDS - start)) s in $round rounds of ${JIT_ROUND_SECONDS} s single-debit load${with_batches:+ plus batches}; compiler threads $cores cores in the last round ($([[ -n "$settled" ]] && echo "settled: below $JIT_SETTLED_CORES" || echo "NOT settled: still at or above $JIT_SETTLED_CORES after ${JIT_WARMUP_MAX_SECONDS}s"))"
  log "JIT warm-up: $JIT_WARM_SUMMARY"
}

# The JIT compiler threads' cores over one phase: jit_phase_start before it, jit_phase_end NAME after it.
PHASE_JIT=""
jit_phase_start() { PJ0="$(jit_ticks "$TG_PID")"; PT0="$(date +%s.%N)"; }
jit_phase_end() { PHASE_JIT+="${PHASE_JIT:+, }$1 $(jit_cores "$PJ0" "$(jit_ticks "$TG_PID")" "$PT0" "$(date +%s.%N)")"; }

# Gateway mode only (nothing relays, so no event is waited for): deletes every debit record (with the seed's credit
# records) and empties every outbox, so each phase starts from the same keyspace. What Redis spends per command grows
# with the keyspace (measured 2026-12-01: 39 µs per single debit with 2 million records present, 33 µs without), and
# each phase leaves about 1.5 million records to the next: without this, a ratio compared work on unequal keyspaces.
# DEL, not UNLINK: the memory is freed now, not by a background thread during the next phase. Sets PHASE_RESET.
PHASE_RESET=""
reset_redis_state() {
  local t0=$SECONDS before
  before="$(rcli dbsize)"
  rcli --scan --pattern 'tg:{b*}:idem:*' \
    | xargs -r -n 10000 "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" del >/dev/null
  for ((b = 0; b < BUCKETS; b++)); do rcli xtrim "tg:{b$b}:outbox" MAXLEN 0 >/dev/null; done
  PHASE_RESET+="${PHASE_RESET:+, }$1: $before → $(rcli dbsize) keys in $((SECONDS - t0))s"
}

# Before each of (a)-(c): the previous phase's events carried into the ledger first, so that a phase is measured with
# the pipeline carrying its own events, not also the backlog of the one before (the wait goes to PHASE_DRAIN); then
# Redis' command statistics reset and the JIT clock started, so that neither counts the wait.
PHASE_DRAIN=""
phase_start() {
  if [[ "${STACK_RELAY:-true}" == true ]]; then
    await_drain "$DRAIN_MAX_SECONDS"
    PHASE_DRAIN+="${PHASE_DRAIN:+, }$1 $([[ -n "$DRAINED" ]] && echo "${DRAIN_SECONDS}s" || echo "NOT drained after ${DRAIN_SECONDS}s")"
  else
    PHASE_DRAIN="none: the relay is off in this stack (ABC_MODE=gateway)"
    [[ "$RESET_STATE" != 1 ]] || reset_redis_state "$1"
  fi
  rcli config resetstat >/dev/null
  rcli slowlog reset >/dev/null
  jit_phase_start
}

# Waits until every event appended in Redis for S_KEYS is in the ledger and the outbox is empty, at most $1 seconds.
# Sets DRAINED (1 or empty) and DRAIN_SECONDS.
await_drain() {
  local deadline=$((SECONDS + $1)) t0=$SECONDS s
  DRAINED=""
  while :; do
    if s="$(backlog_sample drain)" && awk -F'\t' '{exit !($3 == 0 && $5 <= $6)}' <<<"$s"; then DRAINED=1; break; fi
    (( SECONDS < deadline )) || break
    sleep 1
  done
  DRAIN_SECONDS=$((SECONDS - t0))
  [[ -n "$DRAINED" ]] || log "WARNING: the pipeline had not carried every event into the ledger after $1 s (${s:-no sample}); measuring anyway"
}

ABC_PIPELINE=""
if has a || has b || has c; then
  [[ "$ABC_MODE" == gateway || "$ABC_MODE" == full ]] || die "ABC_MODE must be gateway or full"
  STACK_RELAY="$([[ "$ABC_MODE" == full ]] && echo true || echo false)"
  start_stack
  ABC_STACK_LOG="$TG_LOG" ABC_TG_READY="$TG_READY_SECONDS"

  # The script Tollgate runs is lib.lua + "\n" + debit.lua (LuaScript.java). One debit through the API makes Tollgate
  # cache its copy; SCRIPT EXISTS on our SHA then proves (a) runs the very same script.
  { cat "$LUA_LIB"; printf '\n'; cat "$LUA_DEBIT"; } >"$WORK/debit-full.lua"
  SHA="$(sha1sum "$WORK/debit-full.lua" | cut -d' ' -f1)"
  PROBE_WALLET="$(head -1 "$SDIR/wallets.txt")"
  PROBE="$(curl -sS -X POST "http://127.0.0.1:$HTTP_PORT/v1/wallets/$PROBE_WALLET/debits" -H "Authorization: Bearer $PIPELINE_KEY" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: $RUN_ID-probe" -d '{"amountMicros":1,"origin":"manual"}')"
  [[ "$(jq -r .decision <<<"$PROBE")" == approved ]] || die "probe debit through the API was not approved: $PROBE"
  if [[ "$(rcli script exists "$SHA")" == 1 ]]; then
    SCRIPT_CHECK="same SHA as the script Tollgate loaded ($SHA)"
  else
    SCRIPT_CHECK="WARNING: Tollgate's cached script differs from lib.lua+debit.lua in $REPO (jar built from other sources?)"
    log "$SCRIPT_CHECK"
  fi
  redis_cpu() { rcli info cpu | awk -F: '/^used_cpu_(sys|user):/{s+=$2} END{printf "%.3f", s}'; }
  redis_stat() { rcli info stats | awk -F: -v k="$1" '$1==k{print $2+0}'; }
  # Every command Redis ran since the last CONFIG RESETSTAT: "evalsha 1234 × 45.6 µs, hgetall 3 × 5.1 µs".
  redis_commands() { rcli info commandstats | tr -d '\r' | awk -F'[:,=]' '/^cmdstat_/{sub("cmdstat_","",$1); printf "%s%s %s × %s µs", sep, $1, $3, $7; sep=", "}'; }
  # Redis commands that ran at least STALL_MICROS since the last SLOWLOG RESET (phase_start): "12 (96 ms in all,
  # longest 16.0 ms)". A single debit's script runs in well under 0.2 ms, so in (a) and (b) such a command is Redis'
  # one thread waiting for a core in the middle of it (the scheduler or the hypervisor), and every request in flight
  # waits with it. In (c) a 1,000-debit script legitimately runs 10-20 ms: not reported there.
  redis_stalls() {
    rcli --json slowlog get -1 | jq -r '[.[] | .[2]] | if length == 0 then "0" else
      "\(length) (\(add / 1000 | floor) ms in all, longest \(max / 100 | floor / 10) ms)" end'
  }
  COMMON=(--port="$HTTP_PORT" --pipeline-key="$PIPELINE_KEY" --wallets-file="$SDIR/wallets.txt" --run-id="$RUN_ID"
    --warmup="$WARMUP_SECONDS" --duration="$DURATION_SECONDS" "${WATCH[@]}")
  mapfile -t S_KEYS <"$SDIR/wallet-keys.txt"; S_KEYS+=("$BENCH_WALLET_KEY")
  S_IDS="{$( { cat "$SDIR/wallets.txt"; echo "$BENCH_WALLET"; } | paste -sd,)}"
  jit_warmup "$(has c && echo 1 || true)"
  ABC_JIT_WARM="$JIT_WARM_SUMMARY"
fi

# ---- 5a. the ceiling: redis-benchmark, same script, same Redis (no HTTP traffic), same concurrency ----
if has a; then
  LOADED="$(rcli -x script load <"$WORK/debit-full.lua")"
  [[ "$LOADED" == "$SHA" ]] || die "SCRIPT LOAD returned $LOADED, expected $SHA"
  # a debit's request fingerprint is 26 base32 characters (Ids.sha256Key); the hex digits that are base32 serve here
  REQ_HASH="$(printf 'tollgate redis-benchmark request' | sha256sum | cut -d' ' -f1 | tr -dc 'a-f2-7' | head -c 26)"
  EVENT_DATA="{\"debitId\":\"$BENCH_DEBIT_ID\",\"direction\":\"outbound\",\"forced\":false,\"origin\":\"manual\"}"
  # KEYS: outbox, wallet, debit record (the debit's idempotency record); ARGV: record ttl (Tollgate's default: the longer
  # of 24 h idempotency and the 48 h reversal window), N=1, tenant, then per item a spec
  # "walletId|requestHash|debitId|amount|origin|direction|force|currency|channel|priceBasis|item" and the event data
  # (debit.lua; a debit by amount: no currency, channel, basis or item).
  DEBIT_ARGS=(3 "$BENCH_OUTBOX_KEY" "$BENCH_WALLET_KEY" "KEYPLACEHOLDER" 172800 1
    "$TENANT_ID" "$BENCH_WALLET|$REQ_HASH|$BENCH_DEBIT_ID|1|manual|outbound|0||||" "$EVENT_DATA")
  args_with_idem() { local a=("${DEBIT_ARGS[@]}"); a[3]="$1"; printf '%s\0' "${a[@]}"; }
  mapfile -d '' MANUAL < <(args_with_idem "${BENCH_IDEM_PREFIX}manual-$RUN_ID")
  REPLY_FIRST="$(rcli evalsha "$SHA" "${MANUAL[@]}" | head -1)"
  [[ "$REPLY_FIRST" == A\|* ]] || die "a manual EVALSHA of the benchmark command answered '$REPLY_FIRST', not approved (A|balance|seq)"
  mapfile -d '' BENCH_ARGS < <(args_with_idem "${BENCH_IDEM_PREFIX}rb:__rand_int__")
  bench() { "$REDIS_BENCHMARK" -h 127.0.0.1 -p "$REDIS_PORT" -c "$CONCURRENCY" -n "$1" -r 1000000000 --csv EVALSHA "$SHA" "${BENCH_ARGS[@]}"; }

  log "(a) calibrating redis-benchmark"
  CAL_RPS="$(bench 20000 | tail -1 | awk -F'","' '{print $(NF-6)+0}')"
  A_N="$(awk -v r="$CAL_RPS" -v d="$DURATION_SECONDS" 'BEGIN{n=int(r*d); if(n<10000)n=10000; if(n>50000000)n=50000000; print n}')"
  log "(a) redis-benchmark EVALSHA, $CONCURRENCY connections, $A_N calls (~$DURATION_SECONDS s at ${CAL_RPS}/s)"
  SEQ0="$(rcli hget "$BENCH_WALLET_KEY" seq)"
  phase_start "(a)"
  CPU0="$(redis_cpu)"; TGT0="$(proc_ticks "$TG_PID")"; PGT0="$(tree_ticks "$PG_PID")"
  read -r M0 _ ST0 < <(machine_ticks); times >"$WORK/times0"; T0="$(date +%s.%N)"
  bench "$A_N" >"$WORK/a.csv"
  jit_phase_end "(a)"
  T1="$(date +%s.%N)"; times >"$WORK/times1"; read -r M1 _ ST1 < <(machine_ticks)
  CPU1="$(redis_cpu)"; TGT1="$(proc_ticks "$TG_PID")"; PGT1="$(tree_ticks "$PG_PID")"
  SEQ1="$(rcli hget "$BENCH_WALLET_KEY" seq)"
  A_FRESH=$((SEQ1 - SEQ0))
  A_ERRORS="$(redis_stat total_error_replies)"
  A_REPLAYED=$((A_N - A_FRESH - A_ERRORS))
  A_REDIS_CPU="$(awk -v c0="$CPU0" -v c1="$CPU1" -v t0="$T0" -v t1="$T1" 'BEGIN{printf "%.2f", (c1-c0)/(t1-t0)}')"
  A_BENCH_CPU="$(awk -v c0="$(children_cpu "$WORK/times0")" -v c1="$(children_cpu "$WORK/times1")" -v t0="$T0" -v t1="$T1" \
    'BEGIN{printf "%.2f", (c1-c0)/(t1-t0)}')"
  A_TG_CPU="$(awk -v a="$TGT0" -v b="$TGT1" -v hz="$CLK_TCK" -v t0="$T0" -v t1="$T1" 'BEGIN{printf "%.2f", (b-a)/hz/(t1-t0)}')"
  A_PG_CPU="$(awk -v a="$PGT0" -v b="$PGT1" -v hz="$CLK_TCK" -v t0="$T0" -v t1="$T1" 'BEGIN{printf "%.2f", (b-a)/hz/(t1-t0)}')"
  A_STOLEN_CPU="$(awk -v s="$((ST1 - ST0))" -v hz="$CLK_TCK" -v t0="$T0" -v t1="$T1" 'BEGIN{printf "%.2f", s/hz/(t1-t0)}')"
  A_OTHER_CPU="$(awk -v m="$((M1 - M0 - (ST1 - ST0)))" -v hz="$CLK_TCK" -v t0="$T0" -v t1="$T1" -v r="$A_REDIS_CPU" -v b="$A_BENCH_CPU" \
    -v g="$A_TG_CPU" -v p="$A_PG_CPU" 'BEGIN{o=m/hz/(t1-t0)-r-b-g-p; if(o<0)o=0; printf "%.2f", o}')"
  A_REDIS_CMDS="$(redis_commands)"; A_STALLS="$(redis_stalls)"
  log "(a) $(tail -1 "$WORK/a.csv" | awk -F'","' '{print $(NF-6)}') calls/s; $A_FRESH fresh approvals, $A_REPLAYED replays (random-key collisions), $A_ERRORS error replies"
fi

# ---- 5b/5c. Tollgate ----
if has b; then
  log "(b) peak: closed loop, $CONCURRENCY in flight, ${WARMUP_SECONDS}s warm-up + ${DURATION_SECONDS}s"
  phase_start "(b) peak"
  load single-closed "${COMMON[@]}" --phase=b-peak --concurrency="$CONCURRENCY" --out="$WORK/b-peak.json" >&2
  jit_phase_end "(b) peak"
  B_PEAK_REDIS_CMDS="$(redis_commands)"; B_PEAK_STALLS="$(redis_stalls)"
  HALF_RATE="${FIXED_HALF_RATE:-$(jq -r '.debitsPerSecond / 2 | floor' "$WORK/b-peak.json")}"
  (( HALF_RATE >= 1 )) || die "(b) peak measured no debits; see $TG_LOG"

  log "(b) half: open loop at $HALF_RATE/s, ${WARMUP_SECONDS}s warm-up + ${DURATION_SECONDS}s"
  phase_start "(b) half"
  load single-open "${COMMON[@]}" --phase=b-half --concurrency="$CONCURRENCY" --rate="$HALF_RATE" --out="$WORK/b-half.json" >&2
  jit_phase_end "(b) half"
  B_HALF_REDIS_CMDS="$(redis_commands)"; B_HALF_STALLS="$(redis_stalls)"
fi
if has c; then
  log "(c) batch: $BATCH_CONCURRENCY batches of $BATCH_SIZE in flight, each over $BATCH_WALLETS wallet(s), ${WARMUP_SECONDS}s warm-up + ${DURATION_SECONDS}s"
  phase_start "(c)"
  load batch "${COMMON[@]}" --phase=c --concurrency="$BATCH_CONCURRENCY" --batch-size="$BATCH_SIZE" --batch-wallets="$BATCH_WALLETS" --out="$WORK/c.json" >&2
  jit_phase_end "(c)"
  C_REDIS_CMDS="$(redis_commands)"
fi
if has a || has b || has c; then
  kill -0 "$TG_PID" 2>/dev/null || die "Tollgate died during the run; see $TG_LOG"
  ABC_TG_LOG_SUMMARY="$(tg_log_summary)"
  REDIS_MEM="$(rcli info memory | awk -F: '/^used_memory_human:/{print $2}' | tr -d '\r')"
  # Where the pipeline stood when (a)-(c) ended: their events are relayed and written to the ledger meanwhile.
  if S="$(backlog_sample end)"; then
    ABC_PIPELINE="$(awk -F'\t' '{printf "%d events appended in Redis, %d in the ledger, %d behind; %d outbox entries not yet relayed; oldest unrelayed %ss", $5, $6, $5-$6, $3, $7}' <<<"$S")"
  fi
  log "end of (a)-(c): ${ABC_PIPELINE:-pipeline not sampled}; stopping this stack"
  stop_stack
  [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$SDIR/tollgate-data"
fi

# ---- 5d. debit → ledger row, on a fresh stack ----
if has d; then
  log "(d) fresh stack: Redis, Tollgate, embedded Kafka and PostgreSQL"
  STACK_RELAY=true
  start_stack
  mapfile -t S_KEYS <"$SDIR/wallet-keys.txt"
  S_IDS="{$(paste -sd, "$SDIR/wallets.txt")}"
  : >"$WORK/d-samples.tsv"
  # Start from a compiled JVM and a quiet pipeline: the seeding's and the JIT warm-up's events in the ledger first.
  jit_warmup ""
  D_JIT_WARM="$JIT_WARM_SUMMARY"
  await_drain "$DRAIN_MAX_SECONDS"
  SEED_SETTLED="$DRAINED" D_DRAIN_SECONDS="$DRAIN_SECONDS"
  D_WALLETS_BUCKETS="$WALLET_BUCKETS_COVERED"
  log "(d) closed loop, $CONCURRENCY in flight, ${D_WARMUP_SECONDS}s warm-up + ${D_DURATION_SECONDS}s; backlog sampled every ${D_SAMPLE_SECONDS}s"
  # java itself in the background (not the load function), so that GEN_PID is the generator's own pid
  java $LOAD_JAVA_OPTS -jar "$LOAD_JAR" single-closed --port="$HTTP_PORT" --pipeline-key="$PIPELINE_KEY" --wallets-file="$SDIR/wallets.txt" --run-id="$RUN_ID" \
    --warmup="$D_WARMUP_SECONDS" --duration="$D_DURATION_SECONDS" "${WATCH[@]}" --phase=d --concurrency="$CONCURRENCY" \
    --out="$WORK/d-load.json" >"$WORK/d-load.log" 2>&1 &
  GEN_PID=$!
  jit_phase_start
  D_T0="$(now_ms)" D_FAILED_SAMPLES=0
  D_LIMIT_MS=$(( (D_WARMUP_SECONDS + D_DURATION_SECONDS + 90) * 1000 )) # the generator's own bound is warm-up + duration + 30 s
  NEXT="$D_T0"
  while kill -0 "$GEN_PID" 2>/dev/null; do
    NOW="$(now_ms)"
    (( NOW - D_T0 < D_LIMIT_MS )) || { kill -TERM "$GEN_PID" 2>/dev/null || true; die "(d) the generator overran its time; see $WORK/d-load.log"; }
    if (( NOW >= NEXT )); then
      if S="$(backlog_sample load)"; then echo "$S" >>"$WORK/d-samples.tsv"; else D_FAILED_SAMPLES=$((D_FAILED_SAMPLES + 1)); fi
      NEXT=$((NEXT + D_SAMPLE_SECONDS * 1000))
    fi
    sleep 0.2
  done
  GEN_RC=0; wait "$GEN_PID" || GEN_RC=$?
  jit_phase_end "(d)"
  GEN_PID=""
  cat "$WORK/d-load.log" >&2
  (( GEN_RC == 0 )) && [[ -f "$WORK/d-load.json" ]] || die "(d) the load generator failed (exit $GEN_RC); see $WORK/d-load.log"
  D_WS="$(jq -r .windowStartEpochMs "$WORK/d-load.json")"
  D_WE="$(jq -r .windowEndEpochMs "$WORK/d-load.json")"
  D_DEBITS="$(jq -r .debits "$WORK/d-load.json")"
  # The load has stopped: sample every second until the ledger holds every event Redis has, or D_CATCHUP_MAX_SECONDS.
  log "(d) load stopped; waiting up to ${D_CATCHUP_MAX_SECONDS}s for the ledger to catch up"
  CAUGHT_UP="" LAST_LOG=0
  while (( $(now_ms) - D_WE < D_CATCHUP_MAX_SECONDS * 1000 )); do
    if S="$(backlog_sample after)"; then
      echo "$S" >>"$WORK/d-samples.tsv"
      if awk -F'\t' '{exit !($5 - $6 <= 0)}' <<<"$S"; then CAUGHT_UP=1; break; fi
      if (( SECONDS - LAST_LOG >= 30 )); then
        LAST_LOG=$SECONDS
        log "(d) $(awk -F'\t' '{printf "ledger %d events behind, outbox %d unacknowledged", $5 - $6, $3}' <<<"$S")"
      fi
    else
      D_FAILED_SAMPLES=$((D_FAILED_SAMPLES + 1))
    fi
    sleep 1
  done
  if [[ -n "$CAUGHT_UP" ]]; then log "(d) ledger caught up"; else log "(d) ledger NOT caught up after ${D_CATCHUP_MAX_SECONDS}s"; fi

  # Latency of every debit.approved row that occurred (Redis time) in the measured window: recorded_at (PostgreSQL's
  # now() of the writing transaction) − occurred_at. If the ledger has not caught up, the rows still missing count
  # with the least latency they can have (now − window end): the figures are then lower bounds.
  D_WHERE="type = 'debit.approved' and wallet_id = any(:'ids'::varchar[]) and occurred_at >= to_timestamp(:ws / 1000.0) and occurred_at < to_timestamp(:we / 1000.0)"
  D_ROWS="$(pq -v ids="$S_IDS" -v ws="$D_WS" -v we="$D_WE" <<<"select count(*) from ledger_entry where $D_WHERE;")"
  D_MISSING=0 D_COMPLETE=true
  if [[ -z "$CAUGHT_UP" ]]; then
    D_COMPLETE=false
    D_MISSING=$(( D_DEBITS > D_ROWS ? D_DEBITS - D_ROWS : 0 ))
  fi
  D_TQ="$(now_ms)"
  pq -v ids="$S_IDS" -v ws="$D_WS" -v we="$D_WE" -v missing="$D_MISSING" -v tq="$D_TQ" >"$WORK/d-latency.tsv" <<SQL
select count(*) filter (where is_row), percentile_cont(0.5) within group (order by ms), percentile_cont(0.99) within group (order by ms),
       max(ms), avg(ms)
from (select extract(epoch from recorded_at - occurred_at) * 1000 as ms, true as is_row from ledger_entry where $D_WHERE
      union all
      select (:tq - :we)::float8, false from generate_series(1, :missing)) w;
SQL
  D_SLICE=30; (( D_DURATION_SECONDS >= 90 )) || D_SLICE=$(( D_DURATION_SECONDS / 6 > 5 ? D_DURATION_SECONDS / 6 : 5 ))
  pq -v ids="$S_IDS" -v ws="$D_WS" -v we="$D_WE" -v slice="$D_SLICE" >"$WORK/d-slices.tsv" <<SQL
select (floor((extract(epoch from occurred_at) * 1000 - :ws) / (:slice * 1000)) * :slice)::bigint, count(*),
       percentile_cont(0.5) within group (order by ms), percentile_cont(0.99) within group (order by ms), max(ms)
from (select occurred_at, extract(epoch from recorded_at - occurred_at) * 1000 as ms from ledger_entry where $D_WHERE) w
group by 1 order by 1;
SQL
  # Redis against the ledger, wallet by wallet: seq and bal in Redis; rows, last seq and its balance_after in the ledger.
  rcli --eval "$WORK/wallet-state.lua" "${S_KEYS[@]}" , | paste - - | paste "$SDIR/wallets.txt" - >"$WORK/d-redis.tsv"
  pq -v ids="$S_IDS" >"$WORK/d-ledger.tsv" <<'SQL'
select c.wallet_id, c.n, l.seq, l.balance_after_micros
from (select wallet_id, count(*) as n from ledger_entry where wallet_id = any(:'ids'::varchar[]) group by wallet_id) c
cross join lateral (select seq, balance_after_micros from ledger_entry e where e.wallet_id = c.wallet_id order by seq desc limit 1) l;
SQL
  load ledger-summary --load="$WORK/d-load.json" --samples="$WORK/d-samples.tsv" --latency="$WORK/d-latency.tsv" \
    --latency-complete="$D_COMPLETE" --latency-missing="$D_MISSING" --slices="$WORK/d-slices.tsv" \
    --redis-wallets="$WORK/d-redis.tsv" --ledger-wallets="$WORK/d-ledger.tsv" --slack="$D_FLAT_SLACK" --slack-seconds=1 \
    --catchup-target=30 --latency-target-ms=1000 --out="$WORK/d.json" >&2
  kill -0 "$TG_PID" 2>/dev/null || die "Tollgate died during (d); see $TG_LOG"
  D_TG_LOG_SUMMARY="$(tg_log_summary)"
  D_REDIS_MEM="$(rcli info memory | awk -F: '/^used_memory_human:/{print $2}' | tr -d '\r')"
  D_PG_SIZE="$(pq -c "select pg_size_pretty(pg_database_size('postgres'))" 2>/dev/null || echo '?')"
  D_KAFKA_SIZE="$(du -sh "$TG_DATA/kafka" 2>/dev/null | cut -f1 || echo '?')"
  D_TG_READY="$TG_READY_SECONDS"
fi

# ---- 6. report ----
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$HERE/results"
OUT="$HERE/results/$STAMP.md"
COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo '+uncommitted')"
REPORT=(--timestamp="$STAMP UTC" --concurrency="$CONCURRENCY" --out="$OUT")
META=(
  --meta="Machine=$(nproc) cores ($(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); generator, Tollgate (with its embedded Kafka broker), Redis, PostgreSQL and redis-benchmark share these cores; ${BG_BUSY}% busy before the run started; longest stall of a spinning thread in 5 s before the run (redis-cli --intrinsic-latency 5): ${INTRINSIC_MICROS:-?} µs"
  --meta="Tollgate=$APP_JAR (git $COMMIT), prod mode, $(java -version 2>&1 | head -1), JVM options '${TOLLGATE_JAVA_OPTS}', Redis pool TOLLGATE_REDIS_POOL_SIZE=${TOLLGATE_REDIS_POOL_SIZE:-32 (app default)}, hot-path connections TOLLGATE_REDIS_CONNECTIONS=${TOLLGATE_REDIS_CONNECTIONS:-4 (app default)}, Vert.x event loops of the gateway pod ${TOLLGATE_EVENT_LOOPS:-Quarkus default} (TOLLGATE_EVENT_LOOPS; one hot-path Redis connection per loop); embedded KRaft Kafka (in Tollgate's JVM, so in its CPU column) and embedded PostgreSQL (postgres column: postmaster and backends) in a fresh TOLLGATE_DATA_DIR per stack under the temp dir; the outbox relay and the ledger writer run in (d)$([[ "$ABC_MODE" == full ]] && echo ' and in (a)-(c)' || echo '; in (a)-(c) the relay is off (ABC_MODE=gateway)')"
)
if has a || has b || has c; then
  META+=(--meta="Stack for (a)-(c)=Redis $REDIS_VERSION, fresh, one instance used by Tollgate AND by (a) (no HTTP traffic during (a)); ABC_MODE=$ABC_MODE: $([[ "$ABC_MODE" == full ]] && echo "Tollgate's relay and ledger writer carry every phase's events meanwhile" || echo "a gateway pod, relay off: events stay in the outbox, Kafka, the ledger writer and PostgreSQL idle"), --save '' --appendonly no, used_memory at end $REDIS_MEM; Tollgate ready after ${ABC_TG_READY}s; at the end of (a)-(c): ${ABC_PIPELINE:-not sampled}")
  META+=(--meta="Phases (a)-(c)=warm-up ${WARMUP_SECONDS}s (discarded) then ${DURATION_SECONDS}s measured; $WALLETS wallets; debits of 1 micro, origin manual, one Idempotency-Key each; CPU cores = CPU seconds per wall second inside the measured window; stolen = cores the hypervisor gave to other guests while this one had work (/proc/stat steal; not in other)")
  META+=(--meta="Tollgate log (a)-(c)=$ABC_TG_LOG_SUMMARY")
  META+=(--meta="JIT warm-up before (a)-(c)=$ABC_JIT_WARM")
  META+=(--meta="Redis state reset before each phase (RESET_STATE=$RESET_STATE; debit records deleted, outboxes emptied)=${PHASE_RESET:-none}")
  META+=(--meta="Pipeline drained before each phase (the ledger holds every event appended so far, the outbox is empty; at most ${DRAIN_MAX_SECONDS}s)=$PHASE_DRAIN")
fi
if has a; then
  REPORT+=(--a-csv="$WORK/a.csv" --a-requests="$A_N" --a-approved="$((A_N - A_ERRORS))" --a-redis-cpu="$A_REDIS_CPU"
    --a-bench-cpu="$A_BENCH_CPU" --a-other-cpu="$A_OTHER_CPU" --a-stolen-cpu="$A_STOLEN_CPU" --a-tollgate-cpu="$A_TG_CPU" --a-postgres-cpu="$A_PG_CPU")
  META+=(--meta="(a) script=$SCRIPT_CHECK; one EVALSHA by hand answered '$REPLY_FIRST'; $A_N calls: $A_FRESH fresh approvals + $A_REPLAYED idempotent replays (redis-benchmark -r collisions), $A_ERRORS error replies; same wallet and debit id, debit record key (its idempotency key) random")
fi
if has b; then REPORT+=(--b-peak="$WORK/b-peak.json" --b-half="$WORK/b-half.json"); fi
if has c; then REPORT+=(--c="$WORK/c.json"); fi
if has a || has b || has c; then
  META+=(--meta="Redis commands per phase (calls × µs per call, warm-up included; the relay's xreadgroup/xack/xinfo/xtrim included)=${A_REDIS_CMDS:+(a) $A_REDIS_CMDS; }${B_PEAK_REDIS_CMDS:+(b) peak $B_PEAK_REDIS_CMDS; (b) half $B_HALF_REDIS_CMDS; }${C_REDIS_CMDS:+(c) $C_REDIS_CMDS}")
fi
META+=(--meta="JIT compiler threads during each phase (cores, warm-up included)=$PHASE_JIT")
if has a || has b; then
  META+=(--meta="Redis commands that ran ≥ ${STALL_MICROS} µs, warm-up included (a single debit's script needs < 0.2 ms: the rest is Redis' one thread waiting for a core mid-command, and every request in flight waits with it)=${A_STALLS:+(a) $A_STALLS; }${B_PEAK_STALLS:+(b) peak $B_PEAK_STALLS; (b) half $B_HALF_STALLS}")
fi
if has d; then
  REPORT+=(--d="$WORK/d.json")
  META+=(--meta="Stack for (d)=fresh: Redis $REDIS_VERSION (used_memory at end $D_REDIS_MEM), Tollgate ready after ${D_TG_READY}s, ledger database $D_PG_SIZE, Kafka log $D_KAFKA_SIZE at the end; $WALLETS wallets over $D_WALLETS_BUCKETS of 64 buckets; JIT warm-up $D_JIT_WARM; the seeding's and the warm-up's events were $([[ -n "$SEED_SETTLED" ]] && echo "all in the ledger ${D_DRAIN_SECONDS}s later" || echo "NOT all in the ledger after ${D_DRAIN_SECONDS}s") before the load")
  META+=(--meta="(d) method=closed loop, $CONCURRENCY in flight on POST /v1/wallets/{id}/debits, ${D_WARMUP_SECONDS}s warm-up then ${D_DURATION_SECONDS}s measured; every ${D_SAMPLE_SECONDS}s under load (every 1 s after it, up to ${D_CATCHUP_MAX_SECONDS}s) one read-only Lua call (XINFO GROUPS lag + pending of group relay on the 64 streams, Σ HGET seq of the wallets: one atomic snapshot), then one psql count of their ledger rows, then one GET /q/metrics; backlog figures are over the samples inside the window, 'at stop' is the first sample after the load stopped; 'first minute' = the window's first $(jq -r .firstMinuteSeconds "$WORK/d.json") s; flat ⇔ at stop ≤ 2 × first-minute median + ${D_FLAT_SLACK} events (1 s for the metric), for each of the three; $D_FAILED_SAMPLES failed samples; latency = recorded_at − occurred_at in SQL (percentile_cont) over the window's debit.approved rows of these wallets (occurred_at: Redis TIME in ms, recorded_at: PostgreSQL now() of the writing transaction; same machine, same clock)")
  META+=(--meta="Tollgate log (d)=$D_TG_LOG_SUMMARY")
fi
load report "${REPORT[@]}" "${META[@]}"
echo
echo "results written to $OUT"
OK=1
