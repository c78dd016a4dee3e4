#!/usr/bin/env bash
# Soak: wrk against public search, object pages and IIIF tiles, each beside the
# same server's /healthz, with the shared records loaded (the NPM and Tate/MoMA/
# Carnegie datasets of ../shared/data and the demo with its images). Reports
# requests/s, p50 and p99, and fails if any request errored or was not 2xx.
#   benches/soak.sh [seconds=60] [path/to/catalogue] [--demo-only]
# SOAK_DATA=dir keeps the loaded catalogue in dir and reuses it on the next run
# (for profiling: the import of the shared records takes minutes); SOAK_ONLY=search
# runs one load (healthz, search, api, objects or tiles) after /healthz.
# CI runs a scaled-down version: benches/soak.sh 5 target/debug/catalogue --demo-only
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
bin=${2:-${CARGO_TARGET_DIR:-target}/release/catalogue}
mode=${3:-full}
command -v wrk >/dev/null || { echo "needs wrk (Debian package wrk)" >&2; exit 1; }
[ -x "$bin" ] || cargo build --release -q
keep=${SOAK_DATA:-}
data=${SOAK_DATA:-$(mktemp -d)}
mkdir -p "$data"
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "$keep" ] || rm -rf "$data"; rm -rf "$work"; }
trap cleanup EXIT
export RUST_LOG=warn

if [ -e "$data/.soak-loaded-$mode" ]; then
  echo "reusing the catalogue in $data" >&2
else
"$bin" --data-dir "$data" demo >/dev/null
# Real photographs for the tile load, on a published demo record.
if [ -d ../shared/data/images/skimage ]; then
  "$bin" --data-dir "$data" images add DEMO-PH-1 ../shared/data/images/skimage/{astronaut,chelsea,coffee,hubble_deep_field,retina,rocket}.* >/dev/null 2>&1
fi
if [ "$mode" != "--demo-only" ] && [ -d ../shared/data ]; then
  echo "importing the shared records…" >&2
  "$bin" --data-dir "$data" import ../shared/data/zh/npm-taipei.jsonl.gz ../shared/data/en/en-records.jsonl.gz >&2
fi
touch "$data/.soak-loaded-$mode"
fi
# /metrics answers administrators only.
[ -s "$data/.soak-admin" ] || "$bin" --data-dir "$data" user add "soak-admin-$$" --role admin | tail -1 >"$data/.soak-admin"
admin=$(cat "$data/.soak-admin")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" --data-dir "$data" serve --addr "127.0.0.1:$port" &
server=$!
base="http://127.0.0.1:$port"
echo "waiting for the indexes to catch up…" >&2
for _ in $(seq 3000); do
  lag=$(curl -fs -H "Authorization: Bearer $admin" "$base/metrics" 2>/dev/null | awk '$1=="catalogue_index_lag" {print $2}' || true)
  [ "${lag:-x}" = "0" ] && break
  sleep 0.2
done
# A rebuilt index is merged into one segment in the background after start: a load
# measured during the merge measures the merge (about 0.6 of the throughput).
echo "waiting for the indexes' merge into one segment…" >&2
for _ in $(seq 3000); do
  python3 - "$data/index" <<'PY' && break
import json, os, sys
root = sys.argv[1]
if not os.path.exists(os.path.join(root, "CURRENT")):
    sys.exit(0)
gen = open(os.path.join(root, "CURRENT")).read().strip()
sys.exit(0 if all(len(json.load(open(os.path.join(root, gen, i, "meta.json")))["segments"]) <= 1
                  for i in ("internal", "public")) else 1)
PY
  sleep 0.2
done
records=$(curl -fs -H "Authorization: Bearer $admin" "$base/metrics" | awk '$1=="catalogue_artefacts" {print $2}')

# What to ask for: queries from the query sets, published objects, the tiles of every public image.
python3 - "$base" "$work" <<'PY'
import json, sys, urllib.parse, urllib.request, os, glob
base, work = sys.argv[1], sys.argv[2]
get = lambda p: json.load(urllib.request.urlopen(base + p))
queries = ["李书城", "李書城", "lishucheng", "书法", "calligraphy", "Brassaï", "晓缘仁兄", "photograph", "青花", "landscape"]
for f in glob.glob("../shared/data/queries/*.json"):
    queries += [q["q"] for q in json.load(open(f))][:100]
with open(os.path.join(work, "search"), "w") as out:
    for q in queries:
        out.write("/search?q=%s\n" % urllib.parse.quote(q))
# The API answers with facets and snippets unless asked not to.
with open(os.path.join(work, "api"), "w") as out:
    for q in queries:
        out.write("/api/v1/search?q=%s\n" % urllib.parse.quote(q))
objects = []
for page in range(1, 6):
    objects += [h["accession"] for h in get("/api/v1/search?q=&per_page=200&page=%d" % page)["hits"]]
with open(os.path.join(work, "objects"), "w") as out:
    for a in objects:
        out.write("/objects/%s\n" % urllib.parse.quote(a, safe=""))
tiles = []
for a in objects[:200] + ["DEMO-PH-1", "DEMO-PH-2", "DEMO-PH-3"]:
    try:
        m = get("/iiif/3/manifests/" + urllib.parse.quote(a, safe=""))
    except Exception:
        continue
    for canvas in m.get("items", []):
        service = canvas["items"][0]["items"][0]["body"]["service"][0]
        sid = service.get("id") or service.get("@id")
        info = json.load(urllib.request.urlopen(sid + "/info.json"))
        w, h = info["width"], info["height"]
        t = info["tiles"][0]
        for s in t["scaleFactors"]:
            step = t["width"] * s
            for y in range(0, h, step):
                for x in range(0, w, step):
                    rw, rh = min(step, w - x), min(step, h - y)
                    tw = (rw + s - 1) // s
                    tiles.append("%s/%d,%d,%d,%d/%d,/0/default.jpg" % (urllib.parse.urlparse(sid).path, x, y, rw, rh, tw))
with open(os.path.join(work, "tiles"), "w") as out:
    out.write("\n".join(tiles) + "\n")
print("%d queries, %d objects, %d tiles" % (len(queries), len(objects), len(tiles)), file=sys.stderr)
PY
echo /healthz > "$work/healthz"
cat > "$work/rotate.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("PATHS")) do if #line > 0 then paths[#paths + 1] = line end end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA

printf '\n%s records; %ss each; wrk -t2 -c8\n\n' "$records" "$seconds"
printf '| load | requests/s | p50 | p99 | errors | non-2xx | / healthz throughput |\n|---|---|---|---|---|---|---|\n'
failed=0
health=
for kind in healthz ${SOAK_ONLY:-search api objects tiles}; do
  out=$(PATHS="$work/$kind" wrk -t2 -c8 -d"${seconds}s" --latency -s "$work/rotate.lua" "$base")
  r=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  bad=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  [ "$kind" = healthz ] && health=$r
  ratio=$(awk -v a="$r" -v b="$health" 'BEGIN { printf "%.3f", a / b }')
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$kind" "$r" "$p50" "$p99" "${errors:-0}" "${bad:-0}" "$ratio"
  if [ "${errors:-0}" != 0 ] || [ -n "${bad:-}" ]; then failed=1; fi
done
curl -fs "$base/healthz" >/dev/null || { echo "the server did not survive the soak" >&2; exit 1; }
[ "$failed" = 0 ] || { echo "some requests failed" >&2; exit 1; }
