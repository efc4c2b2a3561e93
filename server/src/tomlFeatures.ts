// plumb.toml in the editor: completion of section names, task families, parameter names and
// settings, from the current analysis. (Validation runs with the other diagnostics.)
import path from 'node:path';
import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver/node';
import type { AnalysisResult } from './analysis/analysisResult';
import { familiesOfConfig, RUN_KEYS, TASK_KEYS } from './analysis/plumbTomlCheck';
import { tableAtLine, tomlLayout } from './analysis/tomlLayout';
import { uriToFile } from './analysis/workspaceAnalysis';

export function isPlumbToml(uri: string): boolean {
  return path.basename(uriToFile(uri) ?? '') === 'plumb.toml';
}

export function tomlCompletions(
  result: AnalysisResult,
  uri: string,
  text: string,
  position: Position,
): CompletionItem[] {
  const file = uriToFile(uri);
  if (!file) return [];
  const families = familiesOfConfig(file, result.families);
  const line = text.split(/\r\n|\n|\r/)[position.line] ?? '';
  const before = line.slice(0, position.character);
  const header = /^\s*\[\s*(?:(params|tasks)\.)?([\w-]*)$/.exec(before);
  if (header) {
    if (!header[1]) {
      return [
        { label: 'run', kind: CompletionItemKind.Module, detail: 'scheduler and worker settings' },
        { label: 'params', kind: CompletionItemKind.Module, detail: 'parameter defaults per task family' },
        { label: 'tasks', kind: CompletionItemKind.Module, detail: 'settings per task family' },
      ];
    }
    return families.map((f) => ({
      label: f.family,
      kind: CompletionItemKind.Class,
      detail: `${f.kind} · ${path.basename(f.file.fileName)}`,
    }));
  }
  if (!/^\s*[\w-]*$/.test(before)) return [];
  const layout = tomlLayout(text);
  const table = tableAtLine(layout, position.line);
  const present = new Set(layout.entries.filter((e) => e.table === table).map((e) => e.key));
  const keys = (names: string[], detail: string): CompletionItem[] =>
    names
      .filter((n) => !present.has(n))
      .map((n) => ({ label: n, kind: CompletionItemKind.Property, detail, insertText: `${n} = ` }));
  if (table === 'run') return keys(RUN_KEYS, 'run setting');
  if (table.startsWith('tasks.')) return keys(TASK_KEYS, 'per-family setting');
  if (table.startsWith('params.')) {
    const family = families.find((f) => f.family === table.slice('params.'.length));
    return (family?.params ?? [])
      .filter((p) => !present.has(p.name))
      .map((p) => ({
        label: p.name,
        kind: CompletionItemKind.Property,
        detail: `${p.type}${p.required ? ', required' : `, default ${p.defaultText}`}`,
        insertText: `${p.name} = `,
      }));
  }
  return [];
}
