// Types of binaries.mjs.
export declare function findRedisServer(): string | undefined;
