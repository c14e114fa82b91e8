// Sizes, percentages and durations in the user's locale. Intl objects are costly to build and
// these run on every progress event, so they are cached per locale.

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = cache.get(id);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(id, format);
  }
  return format;
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** Decimal units (1 MB = 1,000,000 bytes), as file managers and the store's own limits show them. */
export function formatBytes(bytes: number, locale?: string): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return numberFormat(locale, {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    // "12 bytes" reads better than "12 byte"; larger units read best short ("12 MB").
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

/** `fraction` in 0–1; whole percents, floored so 99.6% never reads as 100%. */
export function formatPercent(fraction: number, locale?: string): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
    Math.floor(clamped * 100) / 100,
  );
}

export function formatDuration(seconds: number, locale?: string): string {
  const s = Math.max(0, Math.ceil(seconds));
  const [value, unit] =
    s < 60 ? [s, 'second'] : s < 3600 ? [Math.ceil(s / 60), 'minute'] : [s / 3600, 'hour'];
  return numberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(
    value,
  );
}

export function formatSpeed(bytesPerSecond: number, locale?: string): string {
  return `${formatBytes(bytesPerSecond, locale)}/s`;
}

/** 0–1, or undefined while the total is unknown. */
export function progressOf(loaded: number, total: number | undefined): number | undefined {
  if (total === undefined || total <= 0) return undefined;
  return Math.min(1, Math.max(0, loaded / total));
}

/** A transfer's `progressOf`, where done is whole even if no byte moved (an upload skipped as unchanged). */
export function transferProgress(snapshot: {
  status: string;
  loaded: number;
  total: number | undefined;
}): number | undefined {
  return snapshot.status === 'done' ? 1 : progressOf(snapshot.loaded, snapshot.total);
}
