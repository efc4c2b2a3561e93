// Document symbols for task classes: each family with its kind and parameters, outputs as children.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import type { AnalysisResult } from './analysis/analysisResult';

export function taskSymbols(result: AnalysisResult, uri: string): DocumentSymbol[] {
  return result.familiesIn(uri).map((f) => ({
    name: f.family,
    detail: `${f.kind}${f.params.length ? ` (${f.params.map((p) => p.name).join(', ')})` : ''}`,
    kind: SymbolKind.Class,
    range: f.cls.range,
    selectionRange: f.cls.nameRange,
    children: (f.outputsFile === f.file ? (f.outputs ?? []) : []).map((o) => ({
      name: o.info.template ?? o.info.kind,
      detail: o.info.kind,
      kind: SymbolKind.File,
      range: o.info.range,
      selectionRange: o.info.range,
    })),
  }));
}
