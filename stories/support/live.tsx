// The real engine over the in-memory backend, with latency and faults, so stories move like the
// real thing without a server.
import { type ReactNode, useState } from 'react';
import { createObjectStore } from '../../src/core/client';
import { ObjectStoreProvider } from '../../src/react/provider';
import type { MemoryFaults } from '../../src/testing/faults';
import { createMemoryBackend, type MemoryBackend } from '../../src/testing/memory-backend';

export interface LiveStoreProps {
  /** Faults in force from the start. Default: 120 ms latency and 4 MB/s. */
  faults?: MemoryFaults;
  /** Shows buttons that switch faults on and off. Default `true`. */
  controls?: boolean;
  children: ReactNode;
}

const FAULT_TOGGLES: { label: string; faults: MemoryFaults }[] = [
  { label: 'Rate limit half the requests', faults: { rateLimitRate: 0.5, retryAfterSeconds: 1 } },
  { label: 'Fail 30% with 503', faults: { errorRate: 0.3 } },
  { label: 'Corrupt uploads', faults: { corruptUpload: true } },
  { label: 'Drop the connection once at 256 kB', faults: { dropUploadAfterBytes: 256_000, dropCount: 1 } },
];

/**
 * Dice that alternate low and high: a fault rate of 0.5 hits every other request, so stories (and
 * the tests that run them) recover in a bounded number of steps instead of by luck.
 */
function alternatingDice(): () => number {
  let roll = 0;
  return () => {
    roll += 1;
    return roll % 2 === 1 ? 0 : 0.99;
  };
}

export function LiveStore({ faults, controls = true, children }: LiveStoreProps) {
  const [backend] = useState<MemoryBackend>(() =>
    createMemoryBackend({
      faults: { latencyMs: 120, bytesPerSecond: 4_000_000, ...faults },
      random: alternatingDice(),
    }),
  );
  const [client] = useState(() =>
    createObjectStore({ backend, retry: { baseDelayMs: 200, maxDelayMs: 2000 } }),
  );
  const [active, setActive] = useState<string[]>([]);
  const toggle = (label: string, patch: MemoryFaults) => {
    const on = !active.includes(label);
    backend.setFaults(on ? patch : Object.fromEntries(Object.keys(patch).map((name) => [name, null])));
    setActive(on ? [...active, label] : active.filter((item) => item !== label));
  };
  return (
    <ObjectStoreProvider client={client}>
      {controls && (
        <fieldset style={{ marginBottom: '1rem' }}>
          <legend>Faults of the in-memory store</legend>
          {FAULT_TOGGLES.map(({ label, faults: patch }) => (
            <label key={label} style={{ display: 'block' }}>
              <input type="checkbox" checked={active.includes(label)} onChange={() => toggle(label, patch)} />{' '}
              {label}
            </label>
          ))}
        </fieldset>
      )}
      {children}
    </ObjectStoreProvider>
  );
}

/** Files of random-ish bytes, made in the page (stories cannot reach the disk). */
export function sampleFile(name: string, size: number, type = 'application/octet-stream'): File {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 4096) bytes[i] = (i * 31 + name.length) & 0xff;
  return new File([bytes], name, { type });
}
