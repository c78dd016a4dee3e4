#!/usr/bin/env bash
# The public pages under load with wrk, beside the same server's /healthz:
# requests/s and latency of the home, results and object pages at the demo's size.
#   benches/pages.sh [seconds=10] [path/to/release/catalogue]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
bin=${2:-${CARGO_TARGET_DIR:-target}/release/catalogue}
command -v wrk >/dev/null || { echo "needs wrk (Debian package wrk)" >&2; exit 1; }
[ -x "$bin" ] || cargo build --release -q
data=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG=warn "$bin" --data-dir "$data" serve --demo --addr "127.0.0.1:$port" &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 300); do
  curl -fs "$base/api/v1/search?q=%E6%99%93%E7%BC%98%E4%BB%81%E5%85%84" 2>/dev/null | grep -q '"total":[1-9]' && break
  sleep 0.1
done
printf '| route | requests/s | p50 | p99 | non-2xx |\n|---|---|---|---|---|\n'
declare -A rps
for route in /healthz "/search?q=%E6%9D%8E%E4%B9%A6%E5%9F%8E" "/search?lang=en" /objects/2023.15.2 /; do
  out=$(wrk -t2 -c8 -d"${seconds}s" --latency "$base$route")
  r=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  bad=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  rps[$route]=$r
  printf '| `%s` | %s | %s | %s | %s |\n' "$route" "$r" "$p50" "$p99" "${bad:-0}"
done
for route in "/search?q=%E6%9D%8E%E4%B9%A6%E5%9F%8E" /objects/2023.15.2; do
  awk -v a="${rps[$route]}" -v b="${rps[/healthz]}" -v r="$route" 'BEGIN { printf "%s / healthz throughput: %.2f\n", r, a / b }'
done
