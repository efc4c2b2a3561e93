// SHA-1 of a string (its UTF-8 bytes), hex: the names of lock, concurrency-key and transpile-cache
// files. node:crypto's, loaded when first asked for (loading it costs a start-up about 0.5 ms,
// measured; a hand-written digest is not worth that).
import type * as CryptoModule from 'node:crypto';
import { createRequire } from 'node:module';

const load = createRequire(__filename);
let crypto: typeof CryptoModule | undefined;

/** Hex SHA-1 of `text`'s UTF-8 bytes. */
export function sha1Hex(text: string): string {
  crypto ??= load('node:crypto') as typeof CryptoModule;
  return crypto.createHash('sha1').update(text).digest('hex');
}
