// Workspace settings as a person keeps them: the folder's .vscode/settings.json, edited and saved.
// VS Code watches that file and tells extensions of a change (onDidChangeConfiguration), the same
// event as a change in the Settings editor, so a test can change a setting under an open view.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function settingsFile(folder: string): string {
  return path.join(folder, '.vscode', 'settings.json');
}

/**
 * Creates an empty .vscode/settings.json unless there is one. Call it before the workbench opens
 * the folder: VS Code then watches the file from the start, where a folder created later would
 * have to be noticed first.
 */
export function ensureWorkspaceSettings(folder: string): void {
  mkdirSync(path.dirname(settingsFile(folder)), { recursive: true });
  try {
    readFileSync(settingsFile(folder));
  } catch {
    writeFileSync(settingsFile(folder), '{}\n');
  }
}

/** Sets `key` in the folder's settings (undefined removes it: the setting's default again). */
export function setWorkspaceSetting(folder: string, key: string, value: unknown): void {
  ensureWorkspaceSettings(folder);
  const settings = JSON.parse(readFileSync(settingsFile(folder), 'utf8')) as Record<string, unknown>;
  if (value === undefined) delete settings[key];
  else settings[key] = value;
  // Written in place, as an editor saves: the file VS Code watches stays the same file.
  writeFileSync(settingsFile(folder), JSON.stringify(settings, null, 2) + '\n');
}
