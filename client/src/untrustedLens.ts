// How a Run/Debug code lens reads in an untrusted workspace: disabled, saying why, offering trust.
import { ClientCommands } from '../../server/src/protocol';

/** The fields of a vscode.Command this touches (vscode-free, so it is testable in node). */
export interface LensCommand {
  title: string;
  command: string;
  tooltip?: string;
  arguments?: unknown[];
}

const runningCommands = new Set<string>([
  ClientCommands.run,
  ClientCommands.runUnit,
  ClientCommands.debug,
  ClientCommands.backfill,
]);

/** Lenses that would run workspace code become a pointer to Manage Workspace Trust; others are kept. */
export function lensCommandFor<C extends LensCommand>(command: C, trusted: boolean): C | LensCommand {
  if (trusted || !runningCommands.has(command.command)) return command;
  return {
    title: `${command.title} (disabled: workspace not trusted)`,
    tooltip:
      'Plumb runs and debugs pipelines only in a trusted workspace: running executes the workspace’s code. Click to manage workspace trust.',
    command: 'workbench.trust.manage',
  };
}
