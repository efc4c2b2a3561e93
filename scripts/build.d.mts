// Types for what the build script exports to tests and benchmarks.
/** Builds the runtime CLI as shipped into `outdir`; returns the path of its cli.js. */
export declare function buildRuntimeCli(outdir: string): string;
/** Builds cli.js from the runtime/src under `srcRoot` (another commit's) into `outdir`; returns its path. */
export declare function buildRuntimeCliFrom(srcRoot: string, outdir: string): string;
/** Builds plumb-postgres's bundle into postgres/dist; returns the path of its index.js. */
export declare function buildPostgresPackage(): string;
export declare function buildClusterPackage(): string;
