// Types of scripts/vsix-contents.mjs for the TypeScript tests that import it.
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}
export interface ZipArchive {
  zip: Buffer;
  entries: ZipEntry[];
}
export declare function zipEntries(file: string): ZipArchive;
export declare function readZipEntry(archive: ZipArchive, name: string): Buffer;
export declare function binaryPlatform(bytes: Buffer): string | undefined;
export declare function esbuildBinaryPath(target: string): string;
