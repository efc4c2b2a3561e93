// A node's output line when the task writes a database table (plumb-postgres): the table's name
// with a database icon, instead of a file path the task does not have.
import type { TaskOutputInfo } from '../../../../server/src/protocol';

export interface OutputLine {
  text: string | undefined;
  /** Codicon beside the text. */
  icon: 'file' | 'database';
}

/** The first table any output writes, else the first path template, glob or target kind. */
export function outputLine(outputs: TaskOutputInfo[]): OutputLine {
  const table = outputs.find((o) => o.table !== undefined)?.table;
  if (table !== undefined) return { text: `table ${table}`, icon: 'database' };
  return {
    text: outputs.map((o) => o.template ?? o.glob ?? o.kind).find((t) => t !== undefined),
    icon: 'file',
  };
}
