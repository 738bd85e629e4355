#!/usr/bin/env bash
# A 3-node Garage cluster on loopback (issue 19), then the server's tests of two instances on one
# bucket and the county simulation against it. Not part of the test command: building Garage
# takes longer than CI allows (README, Benchmarks).
#   bash bench/garage.sh                 cluster + the instance tests + `load -- county`
#   GARAGE_SCHOOLS=6 GARAGE_PHONES=40 GARAGE_LOAD_ARGS=--state-in-bucket bash bench/garage.sh
# Needs `garage` 2.5.0 on PATH or in $GARAGE_ROOT/bin (cargo install garage --version 2.5.0
# --locked --root "$GARAGE_ROOT"), and the release server and benchmark built:
#   cargo build --release --locked -p shouwang-server --bins --example load
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${GARAGE_ROOT:-/tmp/garage-install}/bin:$HOME/.cargo/bin:$PATH"
garage --version >/dev/null

work=$(mktemp -d /tmp/shouwang-garage.XXXXXX)
secret=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT

for n in 1 2 3; do
  mkdir -p "$work/n$n/meta" "$work/n$n/data"
  cat > "$work/n$n.toml" <<EOF
metadata_dir = "$work/n$n/meta"
data_dir = "$work/n$n/data"
db_engine = "sqlite"
replication_factor = 3
rpc_bind_addr = "127.0.0.1:39${n}1"
rpc_public_addr = "127.0.0.1:39${n}1"
rpc_secret = "$secret"

[s3_api]
s3_region = "us-east-1"
api_bind_addr = "127.0.0.1:39${n}0"
root_domain = ".s3.garage.localhost"

[admin]
api_bind_addr = "127.0.0.1:39${n}3"
EOF
  garage -c "$work/n$n.toml" server > "$work/n$n.log" 2>&1 &
  pids+=($!)
done
g() { garage -c "$work/n1.toml" "$@"; }
for _ in $(seq 1 50); do g status >/dev/null 2>&1 && break; sleep 0.2; done

ids=()
for n in 1 2 3; do
  ids+=("$(garage -c "$work/n$n.toml" node id -q)")
done
g node connect "${ids[1]}" >/dev/null
g node connect "${ids[2]}" >/dev/null
for n in 0 1 2; do
  g layout assign -z "dc$((n + 1))" -c 1G "${ids[$n]%@*}" >/dev/null
done
g layout apply --version 1 >/dev/null
for _ in $(seq 1 50); do g bucket create shouwang >/dev/null 2>&1 && break; sleep 0.2; done
key=$(g key create shouwang-key)
key_id=$(echo "$key" | awk '/Key ID/ { print $NF }')
key_secret=$(echo "$key" | awk '/Secret key/ { print $NF }')
g bucket allow --read --write shouwang --key shouwang-key >/dev/null
echo "garage: 3 nodes on 127.0.0.1 (S3 on :3910, :3920, :3930), bucket shouwang"

export SHOUWANG_S3_BUCKET=shouwang SHOUWANG_S3_ENDPOINT=http://127.0.0.1:3910
export SHOUWANG_S3_ACCESS_KEY_ID="$key_id" SHOUWANG_S3_SECRET_ACCESS_KEY="$key_secret"
export SHOUWANG_S3_ALLOW_HTTP=true
# The instance tests use this store instead of their own s3s-fs one.
export SHOUWANG_TEST_S3=garage

[ -n "${GARAGE_SKIP_TESTS:-}" ] || cargo test --release --locked -p shouwang-server --test server -- instances state_in_bucket::instances --nocapture
# GARAGE_LOAD_ARGS adds options, e.g. "--state-in-bucket --offline --wave 5 --leads 1".
# shellcheck disable=SC2086
target/release/examples/load county --store env --metrics 127.0.0.1:3913 \
  --schools "${GARAGE_SCHOOLS:-6}" --phones "${GARAGE_PHONES:-40}" --instances 3 \
  --idle "${GARAGE_IDLE:-5}" --limit "${GARAGE_LIMIT:-300}" ${GARAGE_LOAD_ARGS:-}
