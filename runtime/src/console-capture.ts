// Attributes console output to the task whose run() printed it (AsyncLocalStorage tells which,
// even with several async tasks in flight); output from outside any task passes through.
import { format } from 'node:util';
import { currentTaskHooks, type LogLevel } from './task-context';

const METHODS: [keyof Console & ('log' | 'info' | 'warn' | 'error' | 'debug'), LogLevel][] = [
  ['log', 'info'],
  ['info', 'info'],
  ['warn', 'warn'],
  ['error', 'error'],
  ['debug', 'debug'],
];

let installed = 0;
const originals = new Map<string, (...args: unknown[]) => void>();

/** Routes console.* inside tasks to their logs until the returned function is called. */
export function captureTaskConsole(): () => void {
  if (installed++ === 0) {
    for (const [method, level] of METHODS) {
      const original = console[method] as (...args: unknown[]) => void;
      originals.set(method, original);
      console[method] = (...args: unknown[]) => {
        const hooks = currentTaskHooks();
        if (hooks) hooks.log(level, format(...args));
        else original.apply(console, args);
      };
    }
  }
  return () => {
    if (--installed === 0) {
      for (const [method] of METHODS) console[method] = originals.get(method)!;
    }
  };
}
