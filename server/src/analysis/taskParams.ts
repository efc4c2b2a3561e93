// Reads a task's parameters from the syntax of `Task.with({ date: param.date(), … })`: names, builder
// types, defaults and enum choices, without evaluating anything.
import ts from 'typescript';
import type { TaskParamInfo } from '../protocol';
import { memberName, unwrap } from './syntax';

const BUILDERS = new Set([
  'string',
  'int',
  'float',
  'bool',
  'date',
  'dateInterval',
  'datetime',
  'hour',
  'enum',
  'list',
  'json',
]);
/** Builders whose first argument is not the options object. */
const OPTIONS_SECOND = new Set(['enum', 'list']);

export function readParams(
  literal: ts.ObjectLiteralExpression,
  sourceFile: ts.SourceFile,
): { params: TaskParamInfo[]; open: boolean } {
  const params: TaskParamInfo[] = [];
  let open = false;
  for (const prop of literal.properties) {
    const name = memberName(prop);
    if (name === undefined || ts.isSpreadAssignment(prop)) {
      open = true;
      continue;
    }
    const init = ts.isPropertyAssignment(prop) ? unwrap(prop.initializer) : undefined;
    params.push(init && ts.isCallExpression(init) ? readBuilder(name, init, sourceFile) : unknownParam(name));
  }
  return { params, open };
}

function unknownParam(name: string): TaskParamInfo {
  return { name, type: 'unknown', required: true };
}

function readBuilder(name: string, call: ts.CallExpression, sourceFile: ts.SourceFile): TaskParamInfo {
  const callee = unwrap(call.expression);
  const builder = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : undefined;
  if (!builder || !BUILDERS.has(builder)) return unknownParam(name);
  const info: TaskParamInfo = { name, type: builder, required: true };
  const optionsArg = call.arguments[OPTIONS_SECOND.has(builder) ? 1 : 0];
  const options = optionsArg && unwrap(optionsArg);
  if (options && ts.isObjectLiteralExpression(options)) {
    for (const prop of options.properties) {
      if (memberName(prop) === 'default' && ts.isPropertyAssignment(prop)) {
        info.defaultText = prop.initializer.getText(sourceFile);
        info.required = false;
      }
      if (
        memberName(prop) === 'significant' &&
        ts.isPropertyAssignment(prop) &&
        unwrap(prop.initializer).kind === ts.SyntaxKind.FalseKeyword
      )
        info.significant = false;
    }
  }
  if (builder === 'enum') {
    const values = call.arguments[0] && unwrap(call.arguments[0]);
    if (values && ts.isArrayLiteralExpression(values)) {
      info.choices = values.elements.flatMap((el) => {
        const v = unwrap(el);
        return ts.isStringLiteralLike(v) ? [v.text] : [];
      });
    }
  }
  return info;
}
