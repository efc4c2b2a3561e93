// Finds the array literal a task's requires() returns, for the fix of TypeScript's "Excessive stack
// depth comparing types" (TS2321) on it. TypeScript reduces such an array's element union by subtype,
// comparing the task classes structurally: a class's own requires() is compared first, so each pair
// leads to the pair one layer down, and a chain of ~50 layers passes the checker's depth limit of 100.
// No type the runtime declares is on that path (see test/runtime/task-types-depth.test.ts); a tuple
// (`[...] as const`) has no union to reduce, and input() reads a tuple the same way.
import ts from 'typescript';

/**
 * The array literal spanning exactly [start, end) when it is returned (or part of what is returned)
 * by a `requires()` method and is not already asserted (`as const`, `as X`, `satisfies X`).
 */
export function requirementArrayAt(
  source: ts.SourceFile,
  start: number,
  end: number,
): ts.ArrayLiteralExpression | undefined {
  let found: ts.ArrayLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.getEnd() < end || node.getStart(source) > start) return;
    if (ts.isArrayLiteralExpression(node) && node.getStart(source) === start && node.getEnd() === end)
      found = node;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found && isUnasserted(found) && isInRequires(found) ? found : undefined;
}

/** Every array literal of two or more elements that a requires() returns, not already asserted. */
export function requirementArrays(source: ts.SourceFile): ts.ArrayLiteralExpression[] {
  const found: ts.ArrayLiteralExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isArrayLiteralExpression(node) &&
      node.elements.length >= 2 &&
      isUnasserted(node) &&
      isInRequires(node)
    )
      found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isUnasserted(array: ts.ArrayLiteralExpression): boolean {
  const parent = skipParentheses(array);
  return !(
    ts.isAsExpression(parent) ||
    ts.isTypeAssertionExpression(parent) ||
    ts.isSatisfiesExpression(parent)
  );
}

function skipParentheses(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent)) parent = parent.parent;
  return parent;
}

/** True when the nearest function around `node` is a method (or function property) named requires. */
function isInRequires(node: ts.Node): boolean {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isMethodDeclaration(at)) return nameOf(at.name) === 'requires';
    if (ts.isFunctionExpression(at) || ts.isArrowFunction(at)) {
      const holder = at.parent;
      return (
        (ts.isPropertyDeclaration(holder) || ts.isPropertyAssignment(holder)) &&
        nameOf(holder.name) === 'requires'
      );
    }
    if (ts.isFunctionDeclaration(at) || ts.isClassLike(at) || ts.isSourceFile(at)) return false;
  }
  return false;
}

function nameOf(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}
