import type { FaultPatch, FaultSettings } from '../core/faults';
import { invalidRequest } from '../core/request-validation';

const NUMERIC = [
  'latencyMs',
  'dropUploadAfterBytes',
  'dropDownloadAfterBytes',
  'downloadBytesPerSecond',
  'dropCount',
  'retryAfterSeconds',
  'urlTtlSeconds',
] as const;
const RATES = ['errorRate', 'rateLimitRate'] as const;
const FLAGS = ['corruptDownload', 'ignoreRange', 'cacheableDownloads'] as const;
const FIELDS: ReadonlySet<string> = new Set([...NUMERIC, ...RATES, ...FLAGS]);

/** Checks a patch from the admin endpoint or the CLI; throws 400 `INVALID_REQUEST` naming the field. */
export function checkFaultPatch(patch: unknown): FaultPatch {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    throw invalidRequest('body', 'must be a JSON object of fault settings.');
  const record = patch as Record<string, unknown>;
  for (const [field, value] of Object.entries(record)) {
    if (!FIELDS.has(field)) throw invalidRequest(field, 'is not a fault setting.');
    if (value === null) continue;
    if ((FLAGS as readonly string[]).includes(field)) {
      if (typeof value !== 'boolean') throw invalidRequest(field, 'must be a boolean or null.');
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw invalidRequest(field, 'must be a non-negative number or null.');
    } else if ((RATES as readonly string[]).includes(field) && value > 1) {
      throw invalidRequest(field, 'must be between 0 and 1.');
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

export type { FaultPatch, FaultSettings };
