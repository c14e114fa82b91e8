#!/usr/bin/env bash
# Stops the daemons scripts/rgw/start.sh started (by their PID files only) and deletes the state folder.
# Env: RGW_DIR, as given to start.sh.
DIR=${RGW_DIR:-${TMPDIR:-/tmp}/objectdrop-rgw}
[ -d "$DIR" ] || { echo "nothing to stop in $DIR" >&2; exit 0; }
for f in "$DIR"/run/client.rgw.a.pid "$DIR"/run/osd.*.pid "$DIR"/run/mon.*.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
done
rm -rf "$DIR"
echo "stopped ($DIR removed)" >&2
