// The local store's fault-injection admin API (`objectdrop serve --admin`): development only.
import type { FaultPatch, FaultSettings } from 'objectdrop';

export type { FaultPatch, FaultSettings };

async function call(storeUrl: string, path: string, body?: unknown): Promise<FaultSettings> {
  const response = await fetch(`${storeUrl}/_admin/${path}`, {
    method: body === undefined && path === 'faults' ? 'GET' : 'POST',
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as FaultSettings & { message?: string };
  if (!response.ok) throw new Error(json.message ?? `The store answered ${response.status}.`);
  return json;
}

export const getFaults = (storeUrl: string) => call(storeUrl, 'faults');
export const setFaults = (storeUrl: string, patch: FaultPatch) => call(storeUrl, 'faults', patch);
export const resetFaults = (storeUrl: string) => call(storeUrl, 'reset', {});
