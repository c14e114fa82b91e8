import { invalid } from './validate';

/**
 * Failures the local store can inject, for tests and demos. All off by default. Set them with
 * `createLocalObjectStore({ faults })`, the CLI's flags, or at runtime with
 * `POST {base}/_admin/faults` (when the handler has `admin: true`).
 */
export interface FaultSettings {
  /** Delay before answering every API and data request, in ms. */
  latencyMs?: number;
  /** Reset the connection once a PUT body goes past this many bytes (nothing is stored). */
  dropUploadAfterBytes?: number;
  /** Send exactly this many bytes of a GET body, then close: the client sees a short body. */
  dropDownloadAfterBytes?: number;
  /** How many requests the drops hit before switching off. Default: unlimited. */
  dropCount?: number;
  /** Fraction (0..1) of API and data requests answered 503. */
  errorRate?: number;
  /** Fraction (0..1) of API and data requests answered 429 `TOO_MANY_REQUESTS`. */
  rateLimitRate?: number;
  /** `Retry-After` of injected 429s, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** New pre-signed URLs expire after this many seconds (instead of the 1-hour default). */
  urlTtlSeconds?: number;
  /** Flip one byte in every GET body (the headers still describe the real object). */
  corruptDownload?: boolean;
}

/** A patch of `FaultSettings`; `null` clears a field. */
export type FaultPatch = { [K in keyof FaultSettings]?: FaultSettings[K] | null };

const NUMERIC = [
  'latencyMs',
  'dropUploadAfterBytes',
  'dropDownloadAfterBytes',
  'dropCount',
  'retryAfterSeconds',
  'urlTtlSeconds',
] as const;
const RATES = ['errorRate', 'rateLimitRate'] as const;
const FIELDS: ReadonlySet<string> = new Set([...NUMERIC, ...RATES, 'corruptDownload']);

/** Checks a patch from the admin endpoint or the CLI; throws 400 `INVALID_REQUEST` naming the field. */
export function checkFaultPatch(patch: unknown): FaultPatch {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    throw invalid('body', 'must be a JSON object of fault settings.');
  const record = patch as Record<string, unknown>;
  for (const [field, value] of Object.entries(record)) {
    if (!FIELDS.has(field)) throw invalid(field, 'is not a fault setting.');
    if (value === null) continue;
    if (field === 'corruptDownload') {
      if (typeof value !== 'boolean') throw invalid(field, 'must be a boolean or null.');
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw invalid(field, 'must be a non-negative number or null.');
    } else if ((RATES as readonly string[]).includes(field) && value > 1) {
      throw invalid(field, 'must be between 0 and 1.');
    }
  }
  return record as FaultPatch;
}

export interface FaultController {
  /** A copy of the current settings. */
  get(): FaultSettings;
  /** Merges `patch` (null clears a field) and returns the new settings. */
  set(patch: FaultPatch): FaultSettings;
  reset(): void;
  /** Whether a drop may hit this request; counts it down when `dropCount` is set. */
  takeDrop(): boolean;
  /** Draws whether this request gets an injected error. */
  roll(rate: number | undefined): boolean;
}

export function createFaultController(initial: FaultSettings = {}, random = Math.random): FaultController {
  let settings: FaultSettings = {};
  const controller: FaultController = {
    get: () => ({ ...settings }),
    set(patch) {
      const next: Record<string, unknown> = { ...settings };
      for (const [field, value] of Object.entries(checkFaultPatch(patch))) {
        if (value === null || value === undefined) delete next[field];
        else next[field] = value;
      }
      settings = next as FaultSettings;
      return controller.get();
    },
    reset() {
      settings = {};
    },
    takeDrop() {
      if (settings.dropCount === undefined) return true;
      if (settings.dropCount <= 0) return false;
      settings = { ...settings, dropCount: settings.dropCount - 1 };
      if (settings.dropCount === 0) {
        const { dropUploadAfterBytes: _u, dropDownloadAfterBytes: _d, dropCount: _c, ...rest } = settings;
        settings = rest;
      }
      return true;
    },
    roll: (rate) => rate !== undefined && rate > 0 && random() < rate,
  };
  controller.set(initial);
  return controller;
}
