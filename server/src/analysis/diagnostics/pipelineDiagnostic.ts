// The analysis' diagnostics, free of any LSP type: the shell turns them into LSP diagnostics and
// code actions. Codes are stable: clients and users may filter on them.
import type { Location, Range } from '../../protocol';

export const DiagnosticCodes = {
  cycle: 'plumb.cycle',
  missingExternalData: 'plumb.missing-external-data',
  noOutput: 'plumb.no-output',
  duplicateOutput: 'plumb.duplicate-output',
  duplicateTable: 'plumb.duplicate-table',
  duplicateFamily: 'plumb.duplicate-family',
  insignificantParamInOutput: 'plumb.insignificant-param-in-output',
  missingParam: 'plumb.missing-param',
  unknownParam: 'plumb.unknown-param',
  requiresNotTask: 'plumb.requires-not-task',
  unanalysable: 'plumb.unanalysable-file',
  configUnknownFamily: 'plumb.config-unknown-family',
  configUnknownParam: 'plumb.config-unknown-param',
  configWrongType: 'plumb.config-wrong-type',
  configUnknownKey: 'plumb.config-unknown-key',
  configMissingKey: 'plumb.config-missing-key',
  configSyntax: 'plumb.config-syntax',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

export interface TextEdit {
  uri: string;
  range: Range;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

export interface PipelineDiagnostic {
  uri: string;
  range: Range;
  severity: 'error' | 'warning' | 'information';
  code: DiagnosticCode;
  message: string;
  related?: { location: Location; message: string }[];
  fixes?: QuickFix[];
}
