// Types of serve.mjs for the TypeScript tests that serve the dev pages.
import type { Server } from 'node:http';
export function serve(port?: number): Promise<Server>;
