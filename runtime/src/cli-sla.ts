// `plumb run`'s SLA flags: --sla (a whole run's deadline: 06:00@Europe/Berlin or 2h), --scheduled-at
// (the fire time the SLA counts from) and --scheduled-by (the item that fired it), as plumb schedule
// passes them to each run it fires; a user may give them too.
import { type ParsedArgs, UsageError } from './cli-args';
import { type RunSlaOptions } from './operations/run-operations';
import { parseSlaFlag } from './operations/sla';

export const SLA_FLAGS = ['sla', 'scheduled-at', 'scheduled-by'] as const;

export function slaOptions(args: ParsedArgs): RunSlaOptions {
  const out: RunSlaOptions = {};
  const sla = args.flags.get('sla');
  if (sla !== undefined) {
    const read = parseSlaFlag(sla);
    if (typeof read === 'string')
      throw new UsageError(
        `--sla takes a time of day (06:00, 06:00@Europe/Berlin) or a duration (2h): ${read}`,
      );
    out.runSla = read;
  }
  const at = args.flags.get('scheduled-at');
  if (at !== undefined) {
    const ms = Date.parse(at);
    if (Number.isNaN(ms)) throw new UsageError(`--scheduled-at takes an ISO 8601 time, got '${at}'`);
    out.scheduledAt = ms;
  }
  const schedule = args.flags.get('scheduled-by');
  if (schedule !== undefined) out.schedule = schedule;
  return out;
}
