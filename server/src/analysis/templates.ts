// Target path templates: reads `new LocalTarget(`data/x_${this.date}.tsv`)`-style arguments into
// literal and placeholder segments, and turns them into template text, globs and regular expressions.
import ts from 'typescript';
import type { TemplateSegment } from './model';
import { constantInitializer, isModuleLevelName, moduleConstant } from './moduleConstants';
import { namePath, unwrap } from './syntax';

const JOIN_CALLS = new Set(['path.join', 'join', 'path.posix.join', 'posix.join', 'path.resolve', 'resolve']);
/** How many module constants one path may go through (`const A = `${B}/x``, B = …): a cycle stops here. */
const MAX_CONSTANT_DEPTH = 16;

/** The segments of a path expression, or undefined when it is not built from strings we can read. */
export function templateSegments(
  expr: ts.Expression,
  sourceFile: ts.SourceFile,
  depth = 0,
): TemplateSegment[] | undefined {
  const e = unwrap(expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [{ text: e.text }];
  if (ts.isIdentifier(e)) {
    const text = constantText(e, sourceFile, depth);
    return text === undefined ? undefined : [{ text }];
  }
  if (ts.isTemplateExpression(e)) {
    const out: TemplateSegment[] = [{ text: e.head.text }];
    for (const span of e.templateSpans) {
      const inner = unwrap(span.expression);
      const constant = ts.isIdentifier(inner) ? constantText(inner, sourceFile, depth) : undefined;
      out.push(constant !== undefined ? { text: constant } : placeholder(inner, sourceFile), {
        text: span.literal.text,
      });
    }
    return normalise(out);
  }
  if (isConcatenation(e)) {
    const parts = concatenated(e).flatMap(
      (operand) => templateSegments(operand, sourceFile, depth) ?? [placeholder(operand, sourceFile)],
    );
    if (!parts.some(isText)) return undefined;
    return normalise(parts);
  }
  if (ts.isCallExpression(e)) {
    const callee = namePath(e.expression)?.join('.');
    if (callee && JOIN_CALLS.has(callee) && e.arguments.length > 0) {
      const out: TemplateSegment[] = [];
      e.arguments.forEach((arg, i) => {
        if (i > 0) out.push({ text: '/' });
        out.push(...(templateSegments(arg, sourceFile, depth) ?? [placeholder(arg, sourceFile)]));
      });
      return normalise(out);
    }
  }
  return undefined;
}

function isConcatenation(e: ts.Expression): e is ts.BinaryExpression {
  return ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

/** `a + b + c` → [a, b, c]: walked along its left spine, as a chain of thousands must not overflow the stack. */
function concatenated(e: ts.BinaryExpression): ts.Expression[] {
  const operands: ts.Expression[] = [];
  let current: ts.Expression = e;
  while (isConcatenation(current)) {
    operands.push(current.right);
    current = unwrap(current.left);
  }
  operands.push(current);
  return operands.reverse();
}

/**
 * The text of a module-level `const` string the identifier names (moduleConstants.ts), read as a
 * template itself; undefined when it is anything else or holds a placeholder (an environment
 * variable, a call): the identifier then stays a placeholder, as before.
 */
function constantText(id: ts.Identifier, sourceFile: ts.SourceFile, depth: number): string | undefined {
  if (depth >= MAX_CONSTANT_DEPTH) return undefined;
  const init = moduleConstant(id, sourceFile);
  return init && allText(templateSegments(init, sourceFile, depth + 1));
}

function allText(segments: TemplateSegment[] | undefined): string | undefined {
  return segments?.every(isText) ? segments.map((s) => s.text).join('') : undefined;
}

function isText(s: TemplateSegment): s is { text: string } {
  return 'text' in s;
}

/** The text of the module-level const string a declared name holds (the file summary's constants). */
export function constantTextOf(id: ts.Identifier, sourceFile: ts.SourceFile): string | undefined {
  const init = constantInitializer(id.text, sourceFile);
  return init && allText(templateSegments(init, sourceFile, 1));
}

function placeholder(expr: ts.Expression, sourceFile: ts.SourceFile): TemplateSegment {
  const e = unwrap(expr);
  // An imported const (or a re-export's) is read when linking, where names resolve across files.
  if (ts.isIdentifier(e) && isModuleLevelName(e, sourceFile)) return { placeholder: e.text, name: e.text };
  const raw = e.getText(sourceFile).replace(/\s+/g, ' ');
  if (!raw.startsWith('this.')) return { placeholder: raw };
  // `this.date` → 'date'; `this.dateInterval.start` → 'dateInterval.start' (param 'dateInterval').
  const text = raw.slice(5);
  const param = /^([A-Za-z_$][\w$]*)/.exec(text)?.[1];
  return param ? { placeholder: text, param } : { placeholder: text };
}

function normalise(segments: TemplateSegment[]): TemplateSegment[] {
  const out: TemplateSegment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (isText(s) && s.text === '') continue;
    if (isText(s) && last && isText(last)) out[out.length - 1] = { text: last.text + s.text };
    else out.push(s);
  }
  return out;
}

export function templateText(segments: TemplateSegment[]): string {
  return segments.map((s) => (isText(s) ? s.text : '${' + s.placeholder + '}')).join('');
}

export function globText(segments: TemplateSegment[]): string {
  return segments
    .map((s) => (isText(s) ? s.text.replace(/[*?[\]{}()!+@\\]/g, (c) => '\\' + c) : '*'))
    .join('')
    .replace(/\*{2,}/g, '*');
}

/** A placeholder stands for any text within one path segment (parameter values hold no '/'). */
export function templateRegExp(segments: TemplateSegment[]): RegExp {
  const body = segments
    .map((s) => (isText(s) ? s.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '[^/]*'))
    .join('');
  return new RegExp('^' + body + '$');
}

/** The literal text before the first placeholder. */
export function literalPrefix(segments: TemplateSegment[]): string {
  let prefix = '';
  for (const s of segments) {
    if (!isText(s)) break;
    prefix += s.text;
  }
  return prefix;
}

export function hasPlaceholder(segments: TemplateSegment[]): boolean {
  return segments.some((s) => !isText(s));
}

export { isText as isTextSegment };
