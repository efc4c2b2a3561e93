// Asks for the parameters a run needs and nothing provides, validating by type, remembering per task.
import * as vscode from 'vscode';
import type { TaskInfo, TaskParamInfo } from '../../server/src/protocol';
import { ParamMemory } from './paramMemory';
import { exampleValue, paramsWithoutValue, validateParamValue } from './paramValidation';

async function askOne(
  task: TaskInfo,
  param: TaskParamInfo,
  remembered: string | undefined,
): Promise<string | undefined> {
  if (param.type === 'bool' || (param.type === 'enum' && param.choices && param.choices.length > 0)) {
    const choices = param.type === 'bool' ? ['true', 'false'] : param.choices!;
    const items = choices.map((label) => ({ label, picked: label === remembered }));
    const ordered = remembered
      ? [...items.filter((i) => i.picked), ...items.filter((i) => !i.picked)]
      : items;
    const picked = await vscode.window.showQuickPick(ordered, {
      title: `Plumb: ${task.family} — ${param.name}`,
      placeHolder: `${param.name} (${param.type})`,
      ignoreFocusOut: true,
    });
    return picked?.label;
  }
  return vscode.window.showInputBox({
    title: `Plumb: ${task.family} — ${param.name}`,
    prompt: `${param.name} (${param.type}) has no default in the code and no value in plumb.toml.`,
    placeHolder: exampleValue(param),
    value: remembered ?? '',
    ignoreFocusOut: true,
    validateInput: (value) => validateParamValue(param, value),
  });
}

/** Values for the task's unset required parameters, or undefined when the user cancelled. */
export async function askTaskParams(
  state: vscode.Memento,
  task: TaskInfo,
): Promise<Record<string, string> | undefined> {
  const missing = paramsWithoutValue(task.params);
  if (missing.length === 0) return {};
  const memory = new ParamMemory(state);
  const remembered = memory.recall(task);
  const values: Record<string, string> = {};
  for (const param of missing) {
    const value = await askOne(task, param, remembered[param.name]);
    if (value === undefined) return undefined;
    values[param.name] = value.trim();
  }
  await memory.remember(task, values);
  return values;
}
