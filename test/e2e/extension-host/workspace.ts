// What the extension-host suites know about the workspace they run in: the example pipeline
// (examples/top-artists, copied fresh by the suite that starts the workbench).
import * as vscode from 'vscode';

/** `publisher.name` from the root package.json. */
export const extensionId = 'plumb.plumb';

/** The workspace file that declares the task class `family`. */
export async function taskFile(family: string): Promise<vscode.Uri> {
  const declaration = new RegExp(`class\\s+${family}\\b`);
  for (const uri of await vscode.workspace.findFiles('**/*.ts', '**/node_modules/**')) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (declaration.test(text)) return uri;
  }
  throw new Error(`no file in the workspace declares class ${family}`);
}

/** Polls `probe` until it returns a value (the language server answers after its first analysis). */
export async function poll<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
