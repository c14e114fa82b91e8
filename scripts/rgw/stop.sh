#!/usr/bin/env bash
# Stops the daemons scripts/rgw/start.sh started (by their PID files only) and deletes the state folder.
# Env: RGW_DIR, as given to start.sh.
DIR=${RGW_DIR:-${TMPDIR:-/tmp}/objectdrop-rgw}
[ -d "$DIR" ] || { echo "nothing to stop in $DIR" >&2; exit 0; }
pids=()
for f in "$DIR"/run/client.rgw.a.pid "$DIR"/run/osd.*.pid "$DIR"/run/mon.*.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null && pids+=("$pid")
done
# All at once, then up to 2 s before SIGKILL: the state is throwaway, and a mon can take longer.
for _ in $(seq 1 20); do
  alive=()
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
  [ ${#alive[@]} -eq 0 ] && break
  sleep 0.1
done
for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
rm -rf "$DIR"
echo "stopped ($DIR removed)" >&2
