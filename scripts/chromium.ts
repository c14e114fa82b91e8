// Which Chromium the tests, Storybook checks and benchmarks drive. Order: $OBJECTDROP_CHROMIUM
// (or $CHROMIUM_PATH), then Debian's /usr/bin/chromium, then Playwright's own download.
import { existsSync } from 'node:fs';

const candidates = [
  process.env.OBJECTDROP_CHROMIUM,
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
];

/** An executable path, or undefined to let Playwright use its own browser. */
export function chromiumExecutable(): string | undefined {
  for (const path of candidates) if (path && existsSync(path)) return path;
  return undefined;
}

/** Launch flags for headless Chromium on a closed network, as root (no sandbox). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Playwright `launchOptions`; fails with a how-to when no browser can be found. */
export async function chromiumLaunchOptions(): Promise<{ executablePath?: string; args: string[] }> {
  const executablePath = chromiumExecutable();
  if (!executablePath) {
    const { chromium } = await import('playwright');
    if (!existsSync(chromium.executablePath())) {
      throw new Error(
        'No Chromium found. Install one: `apt-get install -y chromium` (Debian), or `npx playwright install chromium`, ' +
          'or point OBJECTDROP_CHROMIUM at a Chromium/Chrome executable.',
      );
    }
  }
  return { ...(executablePath ? { executablePath } : {}), args: chromiumArgs };
}
