// Types of scripts/package.mjs for the TypeScript tests that import it.
export declare const vsixPath: string;
export declare const hostTarget: string;
export declare const TARGETS: string[];
export declare function platformVsixPath(target: string): string;
export declare function esbuildPlatformPackage(target: string): string;
export declare function checkVsix(file: string, target: string): string[];
