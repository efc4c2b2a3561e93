// Public API of @plumb/runtime.
export * from './events';
