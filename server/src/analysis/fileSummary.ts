// One file's summary, read from its syntax tree alone: imports, exports, module-level aliases and
// every class with its base, `.with({...})` params, outputs and requirements. Summaries depend on
// nothing but the file, so they are cached per SourceFile and survive edits to other files.
import ts from 'typescript';
import { pathToFileURL } from 'node:url';
import { LineIndex } from './lineIndex';
import type { ClassSummary, ExportBinding, FileSummary, ImportBinding, NamePath } from './model';
import { declaredTableOutput, tableMember } from './databaseTargets';
import { dynamicFacts, outputDecls, requiresFacts } from './methodFacts';
import { readParams } from './taskParams';
import { constantTextOf } from './templates';
import { findMethod, hasModifier, namePath, unwrap } from './syntax';

export function fileUri(fileName: string): string {
  return pathToFileURL(fileName).href;
}

export function emptySummary(fileName: string, failure?: string): FileSummary {
  return {
    fileName,
    uri: fileUri(fileName),
    isJs: /\.[cm]?jsx?$/.test(fileName),
    imports: new Map(),
    exports: new Map(),
    starExports: [],
    classes: new Map(),
    aliases: new Map(),
    failure,
  };
}

export function summariseFile(sourceFile: ts.SourceFile): FileSummary {
  const summary = emptySummary(sourceFile.fileName);
  const lines = new LineIndex(sourceFile.text);
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) readImport(statement, summary.imports);
    else if (ts.isExportDeclaration(statement)) readExport(statement, summary);
    else if (ts.isExportAssignment(statement)) {
      const path = namePath(statement.expression);
      if (path) summary.exports.set('default', { local: path });
      if (ts.isClassExpression(unwrap(statement.expression))) {
        readClass(
          unwrap(statement.expression) as ts.ClassExpression,
          'default',
          true,
          sourceFile,
          lines,
          summary,
        );
      }
    } else if (ts.isClassDeclaration(statement)) {
      const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
      const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
      const name = statement.name?.text ?? (isDefault ? 'default' : undefined);
      if (!name) continue;
      readClass(statement, name, exported, sourceFile, lines, summary);
      if (exported) summary.exports.set(isDefault ? 'default' : name, { local: [name] });
    } else if (ts.isVariableStatement(statement)) {
      readVariables(statement, sourceFile, lines, summary);
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isEntityName(statement.moduleReference)) {
      summary.aliases.set(statement.name.text, statement.moduleReference.getText(sourceFile).split('.'));
    } else if (ts.isExpressionStatement(statement)) {
      readCommonJsExport(statement.expression, summary);
    }
  }
  return summary;
}

function readImport(statement: ts.ImportDeclaration, imports: Map<string, ImportBinding>): void {
  if (!ts.isStringLiteral(statement.moduleSpecifier) || !statement.importClause) return;
  const module = statement.moduleSpecifier.text;
  const clause = statement.importClause;
  if (clause.name) imports.set(clause.name.text, { module, name: 'default' });
  const bindings = clause.namedBindings;
  if (!bindings) return;
  if (ts.isNamespaceImport(bindings)) imports.set(bindings.name.text, { module, name: '*' });
  else {
    for (const el of bindings.elements) {
      imports.set(el.name.text, { module, name: (el.propertyName ?? el.name).text });
    }
  }
}

function readExport(statement: ts.ExportDeclaration, summary: FileSummary): void {
  const module =
    statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
      ? statement.moduleSpecifier.text
      : undefined;
  const clause = statement.exportClause;
  if (!clause) {
    if (module) summary.starExports.push(module);
    return;
  }
  if (ts.isNamespaceExport(clause)) {
    if (module) summary.exports.set(clause.name.text, { module, name: '*' });
    return;
  }
  for (const el of clause.elements) {
    const exported = el.name.text;
    const local = (el.propertyName ?? el.name).text;
    const binding: ExportBinding = module ? { module, name: local } : { local: [local] };
    summary.exports.set(exported, binding);
  }
}

function readVariables(
  statement: ts.VariableStatement,
  sf: ts.SourceFile,
  lines: LineIndex,
  summary: FileSummary,
): void {
  const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
  for (const decl of statement.declarationList.declarations) {
    if (!decl.initializer) continue;
    if (readRequire(decl.name, unwrap(decl.initializer), summary.imports)) continue;
    if (!ts.isIdentifier(decl.name)) continue;
    const name = decl.name.text;
    const init = unwrap(decl.initializer);
    const path = namePath(init);
    const text = path ? undefined : constantTextOf(decl.name, sf);
    if (path) summary.aliases.set(name, path);
    else if (ts.isClassExpression(init)) readClass(init, name, exported, sf, lines, summary);
    else if (text !== undefined) (summary.constants ??= new Map()).set(name, text);
    else continue;
    if (exported) summary.exports.set(name, { local: [name] });
  }
}

/** CommonJS imports: `const { Task, LocalTarget: L } = require('m')`, `const m = require('m')`, `require('m').X`. */
function readRequire(
  name: ts.BindingName,
  init: ts.Expression,
  imports: Map<string, ImportBinding>,
): boolean {
  let call = init;
  let member: string | undefined;
  if (ts.isPropertyAccessExpression(init) && ts.isIdentifier(init.name)) {
    call = unwrap(init.expression);
    member = init.name.text;
  }
  const module = requiredModule(call);
  if (module === undefined) return false;
  if (ts.isIdentifier(name)) imports.set(name.text, { module, name: member ?? '*' });
  else if (ts.isObjectBindingPattern(name) && member === undefined) {
    for (const el of name.elements) {
      const imported = el.propertyName ?? el.name;
      if (ts.isIdentifier(el.name) && ts.isIdentifier(imported) && !el.dotDotDotToken)
        imports.set(el.name.text, { module, name: imported.text });
    }
  }
  return true;
}

function requiredModule(e: ts.Expression): string | undefined {
  if (!ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'require')
    return undefined;
  const arg = e.arguments[0];
  return arg && ts.isStringLiteralLike(arg) ? arg.text : undefined;
}

/** CommonJS exports: `module.exports = { A, B: C }`, `module.exports = A`, `exports.A = A`. */
function readCommonJsExport(e: ts.Expression, summary: FileSummary): void {
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const target = namePath(e.left)?.join('.');
  const value = unwrap(e.right);
  if (target === 'module.exports') {
    if (ts.isObjectLiteralExpression(value)) {
      for (const p of value.properties) {
        if (ts.isShorthandPropertyAssignment(p)) summary.exports.set(p.name.text, { local: [p.name.text] });
        else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) {
          const local = namePath(p.initializer);
          if (local) summary.exports.set(p.name.text, { local });
        }
      }
    } else {
      const local = namePath(value);
      if (local) summary.exports.set('default', { local });
    }
  } else if (target?.startsWith('exports.') || target?.startsWith('module.exports.')) {
    const exported = target.slice(target.lastIndexOf('.') + 1);
    const local = namePath(value);
    if (local && target.split('.').length === (target.startsWith('exports.') ? 2 : 3))
      summary.exports.set(exported, { local });
  }
}

function readClass(
  cls: ts.ClassLikeDeclaration,
  name: string,
  exported: boolean,
  sourceFile: ts.SourceFile,
  lines: LineIndex,
  summary: FileSummary,
): void {
  const nameNode = cls.name ?? cls;
  const closeBrace = cls.getEnd() - 1;
  const summaryOfClass: ClassSummary = {
    name,
    nameRange: lines.range(nameNode.getStart(sourceFile), nameNode.getEnd()),
    range: lines.range(cls.getStart(sourceFile), cls.getEnd()),
    exported,
    abstract: hasModifier(cls, ts.SyntaxKind.AbstractKeyword),
    params: [],
    paramsOpen: false,
    memberInsertAt: lines.position(sourceFile.text[closeBrace] === '}' ? closeBrace : cls.getEnd()),
    memberIndent: memberIndent(cls, sourceFile),
  };
  readHeritage(cls, sourceFile, summaryOfClass);
  const ctx = { cls, sourceFile, lines };
  const output = findMethod(cls, 'output');
  summaryOfClass.outputs = output ? outputDecls(output, ctx) : declaredTableOutput(cls, ctx);
  const table = tableMember(cls, ctx);
  if (table) summaryOfClass.table = table;
  const requires = findMethod(cls, 'requires');
  if (requires) summaryOfClass.requires = requiresFacts(requires, ctx);
  const run = findMethod(cls, 'run');
  if (run) summaryOfClass.dynamic = dynamicFacts(run, ctx);
  summary.classes.set(name, summaryOfClass);
}

/** `extends X`, `extends a.X`, `extends X.with({...})`; anything else (mixins, calls) has no base we read. */
function readHeritage(cls: ts.ClassLikeDeclaration, sourceFile: ts.SourceFile, out: ClassSummary): void {
  const clause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  const expr = clause?.types[0]?.expression;
  if (!expr) return;
  const base = unwrap(expr);
  let path: NamePath | undefined = namePath(base);
  if (!path && ts.isCallExpression(base) && ts.isPropertyAccessExpression(base.expression)) {
    if (base.expression.name.text === 'with') {
      path = namePath(base.expression.expression);
      const arg = base.arguments[0] && unwrap(base.arguments[0]);
      if (arg && ts.isObjectLiteralExpression(arg)) {
        const { params, open } = readParams(arg, sourceFile);
        out.params = params;
        out.paramsOpen = open;
      } else if (arg) out.paramsOpen = true;
    }
  }
  out.base = path;
}

function memberIndent(cls: ts.ClassLikeDeclaration, sourceFile: ts.SourceFile): string {
  const first = cls.members[0];
  const text = sourceFile.text;
  const at = first ? first.getStart(sourceFile) : cls.getStart(sourceFile);
  let lineStart = at;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, at))?.[0] ?? '';
  return first ? indent : indent + '  ';
}
