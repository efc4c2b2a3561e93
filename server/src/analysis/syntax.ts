// Small readers of TypeScript syntax shared by the per-file summary: dotted names, unwrapping
// type assertions, finding methods of a class.
import ts from 'typescript';
import type { NamePath } from './model';

/** `a.b.C` → ['a', 'b', 'C']; undefined for anything that is not a plain dotted name. */
export function namePath(expr: ts.Expression): NamePath | undefined {
  const parts: string[] = [];
  let e: ts.Expression = unwrap(expr);
  for (let guard = 0; guard < 64; guard++) {
    if (ts.isIdentifier(e)) {
      parts.unshift(e.text);
      return parts;
    }
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
      parts.unshift(e.name.text);
      e = unwrap(e.expression);
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>x`: they do not change what a value is. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e))
      e = e.expression;
    else if (ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
    else return e;
  }
}

export function memberName(member: ts.ClassElement | ts.ObjectLiteralElement): string | undefined {
  const name = member.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

export function findMethod(cls: ts.ClassLikeDeclaration, name: string): ts.MethodDeclaration | undefined {
  for (const member of cls.members) {
    if (ts.isMethodDeclaration(member) && member.body && memberName(member) === name) return member;
  }
  return undefined;
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) ? (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false) : false;
}

/** Calls every descendant of `node` (not `node` itself), without descending into nested classes. */
export function forEachDescendant(node: ts.Node, visit: (child: ts.Node) => boolean | void): void {
  // An explicit stack: expression chains thousands deep must not overflow the call stack.
  const stack: ts.Node[] = [];
  ts.forEachChild(node, (c) => {
    stack.push(c);
  });
  stack.reverse();
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (visit(current) === false || ts.isClassLike(current)) continue;
    const children: ts.Node[] = [];
    ts.forEachChild(current, (c) => {
      children.push(c);
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}
