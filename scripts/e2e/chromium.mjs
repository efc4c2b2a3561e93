// Launches Debian's Chromium headless through playwright-core, with flags that keep it off the
// network and away from first-run screens. Playwright gives each launch a fresh temporary
// user-data-dir and kills the browser's process group on close().
import { chromium } from 'playwright-core';
import { chromiumBin } from './tools.mjs';

export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium() {
  return chromium.launch({ executablePath: chromiumBin, headless: true, args: chromiumFlags });
}
