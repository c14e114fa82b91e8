/**
 * Decides when a download whose writer makes its own GETs (the OPFS worker) opens one more. A connection
 * whose bytes the writer cannot take at once does not wait in the network: Chromium holds its body in the
 * renderer. 1 GiB into a new OPFS file on the bench machine, where the writes set the pace: 4 GETs at once
 * grew the renderer by 41–81 MiB per run, one by 13–18 MiB, at the same speed (medians 168 and 174 MB/s,
 * 4 interleaved rounds of a trimmed copy of `npm run bench:download`). So a download starts with one GET
 * and opens another only while the writer sits idle, waiting for the network: then another connection
 * adds speed, and its bytes are written as they come.
 */
export interface LaneRamp {
  /**
   * The writer spent `busyMs` writing since its last report. True when it was idle for at least
   * `idleShare` of the last `windowMs`: one more GET would be written as fast as it arrives.
   */
  record(busyMs: number): boolean;
  /** Starts over, idle windows forgotten: a lane was opened, and what came before says little about what follows. */
  restart(): void;
  /**
   * A new body starts: the wait for its first bytes is the server's, not the writer idling. The window in
   * progress is dropped; the idle windows already counted stay (a range may end before two windows do).
   */
  newBody(): void;
}

export interface LaneRampOptions {
  now: () => number;
  /**
   * Time the writer is watched before it is judged. Default 100 ms: 1 GiB into the same OPFS file again
   * (its pages in memory, writes faster than one connection) takes about a second on the bench machine;
   * with 250 ms windows a second GET could open only after half of it.
   */
  windowMs?: number;
  /**
   * Share of the window the writer must have waited for bytes. Default 0.3. In two rounds of new files and
   * of the same file again (a trimmed copy of `npm run bench:download`, with the ramp logging each window:
   * `exp/` on the branch `try/lanes`), 51 of 75 windows were 0–16 % idle
   * (writes setting the pace), 21 were 46–85 % (the network setting it), 3 between. With each connection
   * paced at 64 MiB/s by the store, 1 GiB came at 103 MB/s with 0.5 (one run of the bench) and at 153 and
   * 169 MB/s with 0.3 (two runs of the trimmed copy, 250 ms windows).
   */
  idleShare?: number;
  /**
   * Idle windows in a row before another GET. Default 2: a body's first MiB may come slower than the rest
   * (in a 256 MiB run of the same logging copy, the first 250 ms window after a GET was 68 % idle, the next
   * ones 5–21 %).
   */
  windows?: number;
}

export function createLaneRamp({
  now,
  windowMs = 100,
  idleShare = 0.3,
  windows = 2,
}: LaneRampOptions): LaneRamp {
  // The window opens at a report, not when the GET went out: a GET's first bytes take a while, and that
  // wait is the server's, not a writer's idle time.
  let since: number | undefined;
  let busy = 0;
  let idleInARow = 0;
  const dropWindow = () => {
    since = undefined;
    busy = 0;
  };
  return {
    record(busyMs) {
      const at = now();
      if (since === undefined) {
        since = at;
        busy = 0;
        return false;
      }
      busy += busyMs;
      const elapsed = at - since;
      if (elapsed < windowMs) return false;
      since = at;
      const idle = 1 - busy / elapsed;
      busy = 0;
      idleInARow = idle >= idleShare ? idleInARow + 1 : 0;
      if (idleInARow < windows) return false;
      idleInARow = 0;
      return true;
    },
    restart() {
      dropWindow();
      idleInARow = 0;
    },
    newBody: dropWindow,
  };
}
