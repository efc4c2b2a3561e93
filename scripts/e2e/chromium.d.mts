// Types of chromium.mjs for the TypeScript end-to-end suite.
import type { Browser } from 'playwright-core';
export declare const chromiumFlags: string[];
export declare function launchChromium(): Promise<Browser>;
