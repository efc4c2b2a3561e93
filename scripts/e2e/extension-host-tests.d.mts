// Types of extension-host-tests.mjs for the TypeScript end-to-end suite.
export declare const extensionHostSourceDir: string;
export declare const extensionHostOutDir: string;
export declare const extensionHostRunner: string;
export declare function buildExtensionHostTests(): Promise<string[]>;
