/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Tests that need it
 * are skipped when it is absent, except under CI=true where global setup fails instead.
 */
import { type Browser, chromium } from 'playwright-core';
import { inject } from 'vitest';

export const chromiumPath = inject('chromiumPath');

export function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error('Chromium is not installed');
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
