// Types of install-progress.mjs for the TypeScript tests.
/** Packages under `dir`'s node_modules and code-server's lib/vscode/node_modules. */
export declare function installedPackages(dir: string): number;
/** Packages under `dir` a node-gyp process is compiling now (their paths below node_modules). */
export declare function nativeBuilds(dir: string): string[];
