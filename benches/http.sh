#!/usr/bin/env bash
# The thread page over HTTP (issue 24): `trialog serve` over the forum bench's data set, loaded by
# `wrk` from a second process on loopback; the server pinned to one core and wrk to the other
# with `taskset`. Prints requests per second and latency percentiles.
#
#   bash benches/http.sh                               # 200,000 posts (TRIALOG_BENCH_SCALE=small)
#   TRIALOG_BENCH_SCALE=full bash benches/http.sh      # 2,000,000 posts (generated once, ~2.4 GB)
#   HTTP_BENCH_SECS=30 HTTP_BENCH_CONNECTIONS=32 bash benches/http.sh
#
# The data set is the forum bench's (benches/support/forums_data.rs, cached under
# target/bench-data/); `cargo bench --bench http_data` builds it if missing and gives the member
# the load signs in as (its password is the only thing it writes). Each request is
# `POST /v1/thread_page {"id": T, "page": {"limit": 20}}` with the member's bearer token, T drawn
# at random from the threads with at least 20 posts in boards members read. The server's rate
# limits are raised to their maximum so that the bench measures the page, not the limiter (the
# limiter itself still runs on every request).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

secs="${HTTP_BENCH_SECS:-20}"
connections="${HTTP_BENCH_CONNECTIONS:-32}"
export TRIALOG_BENCH_SCALE="${TRIALOG_BENCH_SCALE:-small}"

if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)" >&2
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
if [[ $(nproc) -lt 2 ]]; then
    echo "benches/http.sh needs two cores: one for the server, one for wrk" >&2
    exit 1
fi

cargo build -q --release -p trialog-cli
bin="$(cd "${CARGO_TARGET_DIR:-target}/release" && pwd)/trialog"
info=$(cargo bench -q --bench http_data)
value() { sed -n "s/^$1=//p" <<<"$info"; }
db=$(value path)
pseudonym=$(value pseudonym)
password=$(value password)
read -r -a threads <<<"$(value threads)"
echo "data set: $(value scale), $(value posts) posts, ${#threads[@]} threads with at least 20 posts ($db)"

work=$(mktemp -d)
trap 'kill -TERM "${server:-0}" 2>/dev/null || true; wait "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The page cache holds the posts a thread page reads: 1 GiB, as the in-process forum bench.
taskset -c 1 "$bin" --db "$db" serve --listen "127.0.0.1:$port" --quiet --tick-secs 0 --cache-mib 1024 \
    --per-address 1000000 --per-account 1000000 &
server=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

token=$(curl -sf "http://127.0.0.1:$port/v1/auth/sign_in" -H 'Content-Type: application/json' \
    -d "{\"pseudonym\": \"$pseudonym\", \"password\": \"$password\", \"label\": \"wrk\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
# One page answered correctly before the load starts.
curl -sf "http://127.0.0.1:$port/v1/thread_page" -H "Authorization: Bearer $token" \
    -d "{\"id\": ${threads[0]}, \"page\": {\"limit\": 20}}" |
    python3 -c 'import json, sys; page = json.load(sys.stdin); assert len(page["posts"]) == 20, page'

cat >"$work/thread_page.lua" <<LUA
local threads = { $(IFS=,; echo "${threads[*]}") }
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
math.randomseed(24)
request = function()
  local id = threads[math.random(#threads)]
  return wrk.format(nil, "/v1/thread_page", nil, '{"id": ' .. id .. ', "page": {"limit": 20}}')
end
done = function(summary, latency, requests)
  local ms = function(us) return string.format("%.2f ms", us / 1000) end
  io.write(string.format("rate: %.0f requests/s (%d requests in %.1f s, %d not 200, %d socket errors)\n",
    summary.requests / (summary.duration / 1e6), summary.requests, summary.duration / 1e6,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("latency: p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n",
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)),
    ms(latency:percentile(99.9)), ms(latency.max)))
end
LUA

echo "server on core 1, wrk (1 thread, $connections connections, ${secs} s) on core 0; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# A short warm-up fills the page cache, then the measured run.
taskset -c 0 wrk -t1 -c"$connections" -d5s -s "$work/thread_page.lua" "http://127.0.0.1:$port" >/dev/null
taskset -c 0 wrk -t1 -c"$connections" -d"${secs}s" -s "$work/thread_page.lua" "http://127.0.0.1:$port" | tail -n 2
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
