// Types of binaries.mjs.
export declare function findPostgresBin(): string | undefined;
