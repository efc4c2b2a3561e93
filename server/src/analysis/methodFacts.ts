// What a task's methods say, from syntax alone: every `new X(...)` in requires() (and the helper
// methods it calls), what requires() returns, the tasks run() yields or awaits through dependOn(),
// and the targets output() returns.
import ts from 'typescript';
import type { LineIndex } from './lineIndex';
import type { MethodFacts, ObjectArgument, OutputDecl, ReturnedValue, TaskReference } from './model';
import { isDatabaseTarget, targetTable } from './databaseTargets';
import { templateSegments } from './templates';
import { findMethod, forEachDescendant, memberName, namePath, unwrap } from './syntax';

interface Context {
  cls: ts.ClassLikeDeclaration;
  sourceFile: ts.SourceFile;
  lines: LineIndex;
}

const MAX_EXPANSION = 2000;

/** requires(): the `new` expressions anywhere in it or in helpers it calls, and what it returns. */
export function requiresFacts(method: ts.MethodDeclaration, ctx: Context): MethodFacts {
  const references: TaskReference[] = [];
  const seenMethods = new Set<ts.Node>();
  const collect = (body: ts.Node): void => {
    if (seenMethods.has(body)) return;
    seenMethods.add(body);
    forEachDescendant(body, (node) => {
      if (ts.isNewExpression(node)) {
        const ref = taskReference(node, ctx, false);
        if (ref) references.push(ref);
      }
      const helper = thisMethodCall(node, ctx.cls);
      if (helper?.body) collect(helper.body);
    });
  };
  if (method.body) collect(method.body);
  const returned = returnedLeaves(method, ctx).flatMap((leaf) => returnedValue(leaf, ctx));
  return { references, returned };
}

/** run(): tasks handed to `yield` or `this.dependOn(...)`, followed through local variables. */
export function dynamicFacts(method: ts.MethodDeclaration, ctx: Context): MethodFacts {
  const references: TaskReference[] = [];
  if (!method.body) return { references, returned: [] };
  const locals = localInitializers(method.body);
  const seen = new Set<ts.Node>();
  const walk = (root: ts.Node): void => {
    const visit = (node: ts.Node): void => {
      if (seen.has(node)) return;
      seen.add(node);
      if (ts.isNewExpression(node)) {
        const ref = taskReference(node, ctx, true);
        if (ref) references.push(ref);
      } else if (ts.isIdentifier(node)) {
        const init = locals.get(node.text);
        if (init) walk(init);
      }
    };
    visit(root);
    forEachDescendant(root, (n) => void visit(n));
  };
  forEachDescendant(method.body, (node) => {
    if (ts.isYieldExpression(node) && node.expression) walk(node.expression);
    if (ts.isCallExpression(node) && isThisCall(node, 'dependOn')) node.arguments.forEach(walk);
    return !ts.isFunctionLike(node) || ts.isArrowFunction(node);
  });
  return { references, returned: [] };
}

/** output(): each `new SomeTarget(path)` it returns, with the path read as a template. */
export function outputDecls(method: ts.MethodDeclaration, ctx: Context): OutputDecl[] {
  return returnedLeaves(method, ctx).flatMap((leaf): OutputDecl[] => {
    if (!ts.isNewExpression(leaf)) return [];
    const callee = namePath(leaf.expression);
    const first = leaf.arguments?.[0];
    const range = ctx.lines.range(leaf.getStart(ctx.sourceFile), leaf.getEnd());
    const kind = callee?.[callee.length - 1] ?? leaf.expression.getText(ctx.sourceFile);
    // A database target's first argument is its task id, not a path (databaseTargets.ts).
    const database = isDatabaseTarget(kind);
    const table = database ? targetTable(leaf, ctx) : undefined;
    return [
      {
        kind,
        segments: first && !database ? templateSegments(first, ctx.sourceFile) : undefined,
        range,
        ...(table && { table }),
      },
    ];
  });
}

function isThisCall(call: ts.CallExpression, name: string): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.expression.kind === ts.SyntaxKind.ThisKeyword &&
    callee.name.text === name
  );
}

function thisMethodCall(node: ts.Node, cls: ts.ClassLikeDeclaration): ts.MethodDeclaration | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword)
    return undefined;
  return findMethod(cls, callee.name.text);
}

function localInitializers(body: ts.Node): Map<string, ts.Expression> {
  const map = new Map<string, ts.Expression>();
  forEachDescendant(body, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      map.set(node.name.text, node.initializer);
    }
  });
  return map;
}

function taskReference(node: ts.NewExpression, ctx: Context, dynamic: boolean): TaskReference | undefined {
  const callee = namePath(node.expression);
  if (!callee) return undefined;
  const { sourceFile, lines } = ctx;
  const start = node.getStart(sourceFile);
  const ref: TaskReference = {
    callee,
    range: lines.range(start, node.getEnd()),
    headRange: lines.range(start, node.expression.getEnd()),
    dynamic,
  };
  if (isOptionalArgument(node)) ref.optional = true;
  const first = node.arguments?.[0] && unwrap(node.arguments[0]);
  if (first && ts.isObjectLiteralExpression(first)) ref.args = objectArgument(first, ctx);
  else if (!first && node.arguments) {
    // `new X()`: the position right after `(`.
    const open = sourceFile.text.indexOf('(', node.expression.getEnd());
    if (open >= 0 && open < node.getEnd()) ref.emptyCallAt = lines.position(open + 1);
  }
  return ref;
}

/** `optional(new X(…))` (or `rt.optional(…)`): the runtime's mark of a requirement that may fail. */
function isOptionalArgument(node: ts.NewExpression): boolean {
  let child: ts.Node = node;
  let parent = node.parent;
  while (
    parent &&
    (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent))
  ) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent || !ts.isCallExpression(parent) || parent.arguments[0] !== child) return false;
  const callee = namePath(parent.expression);
  return callee?.[callee.length - 1] === 'optional';
}

/** `date: this.date`: the requiring task's own value of the same parameter, passed on unchanged. */
function passesOwnValue(prop: ts.ObjectLiteralElementLike, name: string): boolean {
  if (!ts.isPropertyAssignment(prop)) return false;
  let value = prop.initializer;
  while (ts.isParenthesizedExpression(value) || ts.isNonNullExpression(value)) value = value.expression;
  return (
    ts.isPropertyAccessExpression(value) &&
    value.expression.kind === ts.SyntaxKind.ThisKeyword &&
    value.name.text === name
  );
}

function objectArgument(literal: ts.ObjectLiteralExpression, ctx: Context): ObjectArgument {
  const { sourceFile, lines } = ctx;
  const keys: ObjectArgument['keys'] = [];
  let hasSpread = false;
  for (const prop of literal.properties) {
    const name = memberName(prop);
    if (name === undefined || ts.isSpreadAssignment(prop)) hasSpread = true;
    else {
      const range = lines.range(prop.name!.getStart(sourceFile), prop.name!.getEnd());
      if (ts.isShorthandPropertyAssignment(prop)) keys.push({ name, range, shorthand: true });
      else keys.push(passesOwnValue(prop, name) ? { name, range, own: true } : { name, range });
    }
  }
  const last = literal.properties[literal.properties.length - 1];
  return {
    keys,
    hasSpread,
    range: lines.range(literal.getStart(sourceFile), literal.getEnd()),
    insertAt: lines.position(last ? last.getEnd() : literal.getStart(sourceFile) + 1),
    empty: !last,
  };
}

/**
 * The expressions a method can return, looking through arrays, object literals, conditionals,
 * `.map(cb)`/`.flatMap(cb)`, `.concat`/`.filter`/`.flat`, local variables and `this.helper()` calls.
 */
function returnedLeaves(method: ts.MethodDeclaration, ctx: Context): ts.Expression[] {
  const leaves: ts.Expression[] = [];
  const seen = new Set<ts.Node>();
  let budget = MAX_EXPANSION;
  const fromBody = (body: ts.ConciseBody, locals: Map<string, ts.Expression>): void => {
    if (!ts.isBlock(body)) return expand(body, locals);
    const innerLocals = new Map([...locals, ...localInitializers(body)]);
    forEachDescendant(body, (node) => {
      if (ts.isReturnStatement(node) && node.expression) expand(node.expression, innerLocals);
      return !ts.isFunctionLike(node);
    });
  };
  const expand = (expr: ts.Expression, locals: Map<string, ts.Expression>): void => {
    if (--budget < 0 || seen.has(expr)) return;
    seen.add(expr);
    const e = unwrap(expr);
    if (ts.isArrayLiteralExpression(e)) {
      for (const el of e.elements) expand(ts.isSpreadElement(el) ? el.expression : el, locals);
    } else if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p)) expand(p.initializer, locals);
        else if (ts.isShorthandPropertyAssignment(p)) expand(p.name, locals);
        else if (ts.isSpreadAssignment(p)) expand(p.expression, locals);
      }
    } else if (ts.isConditionalExpression(e)) {
      expand(e.whenTrue, locals);
      expand(e.whenFalse, locals);
    } else if (ts.isBinaryExpression(e) && isFallbackOperator(e.operatorToken.kind)) {
      if (e.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken) expand(e.left, locals);
      expand(e.right, locals);
    } else if (ts.isCallExpression(e)) {
      expandCall(e, locals);
    } else if (ts.isIdentifier(e) && locals.has(e.text)) {
      expand(locals.get(e.text)!, locals);
    } else {
      leaves.push(e);
    }
  };
  const expandCall = (call: ts.CallExpression, locals: Map<string, ts.Expression>): void => {
    const helper = thisMethodCall(call, ctx.cls);
    if (helper?.body) return fromBody(helper.body, new Map());
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) return;
    const name = callee.name.text;
    if (name === 'map' || name === 'flatMap') {
      const cb = call.arguments[0] && unwrap(call.arguments[0]);
      if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) fromBody(cb.body, locals);
    } else if (
      ['concat', 'filter', 'flat', 'slice', 'reverse', 'toReversed', 'toSorted', 'sort'].includes(name)
    ) {
      expand(callee.expression, locals);
      if (name === 'concat') call.arguments.forEach((a) => expand(a, locals));
    } else if (name === 'fromEntries' || name === 'from' || name === 'values') {
      call.arguments.forEach((a) => expand(a, locals));
    }
  };
  if (method.body) fromBody(method.body, new Map());
  return leaves;
}

function isFallbackOperator(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.QuestionQuestionToken ||
    kind === ts.SyntaxKind.BarBarToken ||
    kind === ts.SyntaxKind.AmpersandAmpersandToken
  );
}

function returnedValue(leaf: ts.Expression, ctx: Context): ReturnedValue[] {
  const range = ctx.lines.range(leaf.getStart(ctx.sourceFile), leaf.getEnd());
  const text = leaf.getText(ctx.sourceFile);
  if (ts.isNewExpression(leaf)) {
    const callee = namePath(leaf.expression);
    return callee ? [{ kind: 'new', callee, text: callee.join('.'), range }] : [];
  }
  if (ts.isStringLiteralLike(leaf) || ts.isTemplateExpression(leaf) || ts.isNumericLiteral(leaf)) {
    return [{ kind: 'literal', text, range }];
  }
  if (leaf.kind === ts.SyntaxKind.TrueKeyword || leaf.kind === ts.SyntaxKind.FalseKeyword) {
    return [{ kind: 'literal', text, range }];
  }
  const path = namePath(leaf);
  return path ? [{ kind: 'name', callee: path, text: path.join('.'), range }] : [];
}
