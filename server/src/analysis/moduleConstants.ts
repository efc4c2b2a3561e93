// Module-level `const NAME = 'text'` declarations, read from syntax: what an identifier in a target
// path denotes when it names one (`${STREAMS_DIR}/${this.date}.tsv`) and nothing nearer shadows it.
import ts from 'typescript';

/** A file's module-level `const` initializers by name, read once per parsed file. */
const byFile = new WeakMap<ts.SourceFile, Map<string, ts.Expression>>();

/** Whether the identifier denotes a module-level name (nothing in its statement declares it). */
export function isModuleLevelName(id: ts.Identifier, sourceFile: ts.SourceFile): boolean {
  return !isShadowed(id, sourceFile);
}

/** The initializer of the module-level `const` an identifier denotes, or undefined. */
export function moduleConstant(id: ts.Identifier, sourceFile: ts.SourceFile): ts.Expression | undefined {
  const init = constantInitializer(id.text, sourceFile);
  if (!init) return undefined;
  return isShadowed(id, sourceFile) ? undefined : init;
}

/** The initializer of the module-level `const` of this name, or undefined. */
export function constantInitializer(name: string, sourceFile: ts.SourceFile): ts.Expression | undefined {
  return constantsOf(sourceFile).get(name);
}

function constantsOf(sourceFile: ts.SourceFile): Map<string, ts.Expression> {
  let map = byFile.get(sourceFile);
  if (map) return map;
  map = new Map();
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const list = statement.declarationList;
    // `let` and `var` may be reassigned; `declare const` has no value to read.
    if (!(list.flags & ts.NodeFlags.Const)) continue;
    if (ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    for (const decl of list.declarations) {
      if (ts.isIdentifier(decl.name) && decl.initializer) map.set(decl.name.text, decl.initializer);
    }
  }
  byFile.set(sourceFile, map);
  return map;
}

/**
 * Whether the identifier could denote something declared inside the top-level statement holding
 * it (a parameter, a local, a function or class of that name): then it is not the module's const.
 * Any such declaration in that statement counts, whatever its scope: a miss only costs a placeholder.
 */
function isShadowed(id: ts.Identifier, sourceFile: ts.SourceFile): boolean {
  let top: ts.Node = id;
  while (top.parent && top.parent !== sourceFile) top = top.parent;
  const moduleLevel = ts.isVariableStatement(top) ? new Set(top.declarationList.declarations) : undefined;
  // An explicit stack: expression chains thousands deep must not overflow the call stack.
  const stack: ts.Node[] = [top];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (declaresName(node, id.text) && !moduleLevel?.has(node as ts.VariableDeclaration)) return true;
    ts.forEachChild(node, (child) => {
      stack.push(child);
    });
  }
  return false;
}

function declaresName(node: ts.Node, name: string): boolean {
  if (
    ts.isVariableDeclaration(node) ||
    ts.isParameter(node) ||
    ts.isBindingElement(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isClassDeclaration(node) ||
    ts.isClassExpression(node)
  ) {
    const declared = node.name;
    return declared !== undefined && ts.isIdentifier(declared) && declared.text === name;
  }
  return false;
}
