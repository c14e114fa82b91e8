#!/usr/bin/env bash
# A throwaway single-node Ceph cluster with RADOS Gateway on 127.0.0.1, for the S3 store's tests:
# one mon, one memstore OSD (objects live in RAM), no mgr, no auth inside the cluster.
#
#   bash scripts/rgw/start.sh           start; prints OBJECTDROP_S3_* lines (also written to $DIR/env)
#   bash scripts/rgw/start.sh --check   only check that the Ceph binaries are installed (exit 2 if not)
#   bash scripts/rgw/stop.sh            stop what start.sh started and delete its state
#
# Env: RGW_DIR (state folder, default $TMPDIR/objectdrop-rgw), RGW_PORT (S3 port, 7480),
#      RGW_MON_PORT (6789), RGW_ACCESS_KEY / RGW_SECRET_KEY (the S3 user's keys),
#      RGW_OWNER_PID (stop the cluster when this process exits).
# Install (Debian 12 ships Ceph 16): apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common
set -euo pipefail

INSTALL_HINT='apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common'
missing=()
for bin in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Ceph RADOS Gateway is not installed (missing: ${missing[*]}). Install it with: $INSTALL_HINT" >&2
  exit 2
fi
[ "${1:-}" = "--check" ] && { echo "Ceph RADOS Gateway binaries found: $(ceph --version)"; exit 0; }

DIR=${RGW_DIR:-${TMPDIR:-/tmp}/objectdrop-rgw}
PORT=${RGW_PORT:-7480}
MON_PORT=${RGW_MON_PORT:-6789}
AK=${RGW_ACCESS_KEY:-objectdrop-test-access}
SK=${RGW_SECRET_KEY:-objectdrop-test-secret}
T0=$(date +%s%N)
log() { local ms=$((($(date +%s%N) - T0) / 1000000)); printf '[rgw %d.%03ds] %s\n' $((ms / 1000)) $((ms % 1000)) "$*" >&2; }
# Polls "$@" every 0.25 s until it succeeds or $1 seconds have passed.
waitfor() {
  local deadline=$(($(date +%s) + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out waiting for: $*" >&2; return 1; }
    sleep 0.25
  done
}
# Daemons get no terminal fds: a caller reading our output (execFile, CI logs) sees EOF when we exit.
daemon() { "$@" </dev/null >>"$DIR/log/daemons-stdio.log" 2>&1; }

if [ -e "$DIR" ]; then echo "$DIR exists: run scripts/rgw/stop.sh first (RGW_DIR=$DIR)" >&2; exit 1; fi
mkdir -p "$DIR"/{mon.a,osd.0,rgw,run,log}
# On failure, show why and leave nothing running behind.
trap 'echo "scripts/rgw/start.sh failed; log tails:" >&2; tail -n 15 "$DIR"/log/*.log >&2 || true; RGW_DIR="$DIR" bash "$(dirname "$0")/stop.sh" >&2 || true' ERR

FSID=$(cat /proc/sys/kernel/random/uuid)
CONF=$DIR/ceph.conf
cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = v1:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = false
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
keyring = /dev/null
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
# Commit map changes quickly: RGW creates its pools one by one at first start (≈10 s at the defaults).
paxos propose interval = 0.05
paxos min wait = 0.01
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
[mon]
mon data = $DIR/\$name
mon cluster log file = $DIR/log/cluster.log
[osd]
osd data = $DIR/\$name
osd objectstore = memstore
memstore device bytes = 2147483648
osd class load list = *
osd class default list = *
# The script places the OSD in the CRUSH map itself: no OSD->mon commands while it boots.
osd crush update on start = false
osd class update on start = false
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw data = $DIR/rgw
rgw dns name = localhost
rgw thread pool size = 64
# Lifecycle "days" last 10 s, so expiry rules can be exercised (radosgw-admin lc process).
rgw lc debug interval = 10
# Short shard locks, so a forced "radosgw-admin lc process" is not locked out by the background worker.
rgw lc lock max time = 3
EOF
ceph_() { ceph -c "$CONF" "$@"; }

# --addv with v1: on a port other than 6789, --add would make a msgr2-only monitor the v1-only clients cannot reach.
monmaptool --create --fsid "$FSID" --addv a "[v1:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$DIR/monmap" -c "$CONF" >/dev/null
daemon ceph-mon -i a -c "$CONF"
waitfor 60 timeout 10 ceph -c "$CONF" mon stat
log "mon up on 127.0.0.1:$MON_PORT"

OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
# Right after its election a mon may still refuse commands (EPERM, "fsid 0000… !="); "osd new" with
# the same UUID is idempotent, so retry it.
OSD_ID=
for _ in $(seq 1 20); do
  OSD_ID=$(ceph_ osd new "$OSD_UUID" 2>>"$DIR/log/osd-new.log") && break
  sleep 0.5
done
[ -n "$OSD_ID" ] || { echo "the mon refused to create the OSD" >&2; false; }
ceph_ osd crush add "osd.$OSD_ID" 1.0 host=localhost root=default >/dev/null 2>&1
ceph-osd -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" -c "$CONF" 2>/dev/null
osd_up() { ceph -c "$CONF" osd dump -f json | grep -q '"up":1'; }
# A memstore OSD occasionally dies while booting; start it again rather than fail the run.
for attempt in 1 2 3; do
  daemon ceph-osd -i "$OSD_ID" -c "$CONF" || true
  waitfor 40 osd_up && break
  [ "$attempt" = 3 ] && { echo "the OSD did not come up" >&2; false; }
  pid=$(cat "$DIR/run/osd.$OSD_ID.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  sleep 1
done
log "osd.$OSD_ID up (memstore)"

daemon radosgw -n client.rgw.a -c "$CONF"
# bash's /dev/tcp, not curl: a bare Debian has no curl, and the Ceph packages do not bring it.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
waitfor 120 listening
log "radosgw listening on 127.0.0.1:$PORT"
radosgw-admin -c "$CONF" user create --uid=objectdrop --display-name=objectdrop \
  --access-key="$AK" --secret-key="$SK" >/dev/null

# With RGW_OWNER_PID, a watchdog stops the cluster once that process is gone, however it ended
# (a test runner or dev server killed with SIGKILL cannot clean up after itself).
if [ -n "${RGW_OWNER_PID:-}" ]; then
  nohup bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; RGW_DIR="$2" bash "$3" 2>/dev/null' \
    _ "$RGW_OWNER_PID" "$DIR" "$(cd "$(dirname "$0")" && pwd)/stop.sh" </dev/null >/dev/null 2>&1 &
fi

cat >"$DIR/env" <<EOF
OBJECTDROP_S3_ENDPOINT=http://127.0.0.1:$PORT
OBJECTDROP_S3_REGION=us-east-1
OBJECTDROP_S3_ACCESS_KEY=$AK
OBJECTDROP_S3_SECRET_KEY=$SK
OBJECTDROP_RGW_CONF=$CONF
EOF
cat "$DIR/env"
log "ready"
