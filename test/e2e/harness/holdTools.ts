// Starts code-server and Chromium exactly as the suite does, says "ready <pid of code-server>" and
// waits to be killed: signals.test.ts checks that a signal to this process leaves nothing behind.
import { launchChromium } from '../../../scripts/e2e/chromium.mjs';
import { startCodeServer } from '../../../scripts/e2e/code-server.mjs';

async function main(): Promise<void> {
  const server = await startCodeServer();
  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`${server.baseUrl}/healthz`);
  console.log(`ready ${server.pid}`);
  setInterval(() => undefined, 60_000);
}

void main();
