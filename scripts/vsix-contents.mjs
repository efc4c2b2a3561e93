// Reads what a .vsix (a zip) holds without unpacking it, and tells which platform a native binary
// was built for, so packaging and its test can check that each platform's archive carries the
// right esbuild.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/** Every entry of a zip archive: name, compression method, sizes and where its local header is. */
export function zipEntries(file) {
  const zip = readFileSync(file);
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${file} is not a zip archive`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      offset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { zip, entries };
}

/** The bytes of one entry (stored or deflated). */
export function readZipEntry(archive, name) {
  const entry = archive.entries.find((e) => e.name === name);
  if (!entry) throw new Error(`no ${name} in the archive`);
  const { zip } = archive;
  const start = entry.offset + 30 + zip.readUInt16LE(entry.offset + 26) + zip.readUInt16LE(entry.offset + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  return entry.method === 0 ? data : inflateRawSync(data);
}

/**
 * The VS Code platform ("linux-x64", "darwin-arm64", "win32-x64", …) a native executable was built
 * for, read from its header (ELF, Mach-O or PE), or undefined when it is none of those.
 */
export function binaryPlatform(bytes) {
  if (bytes.length < 64) return undefined;
  if (bytes.readUInt32BE(0) === 0x7f454c46) {
    const machine = bytes.readUInt16LE(18);
    return { 0x3e: 'linux-x64', 0xb7: 'linux-arm64', 0x28: 'linux-armhf' }[machine];
  }
  if (bytes.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = bytes.readUInt32LE(4);
    return { 0x01000007: 'darwin-x64', 0x0100000c: 'darwin-arm64' }[cpu];
  }
  if (bytes.toString('latin1', 0, 2) === 'MZ') {
    const pe = bytes.readUInt32LE(0x3c);
    if (pe + 6 > bytes.length || bytes.readUInt32BE(pe) !== 0x50450000) return undefined;
    return { 0x8664: 'win32-x64', 0xaa64: 'win32-arm64' }[bytes.readUInt16LE(pe + 4)];
  }
  return undefined;
}

/** Where esbuild's binary for a platform lives inside its @esbuild/<platform> package. */
export function esbuildBinaryPath(target) {
  return target.startsWith('win32-') ? 'esbuild.exe' : 'bin/esbuild';
}
