// Public API of plumb-pipelines.
export * from './events';
export {
  Task,
  ExternalTask,
  WrapperTask,
  isTask,
  optional,
  type Requirements,
  type Outputs,
  type OutputsOf,
  type InputOf,
  type TaskClassSettings,
  // Named in the inferred type of every `class X extends Task.with({...})`: a project that emits
  // declarations must be able to name it through the package.
  type TaskClassWith,
} from './task';
export {
  param,
  ParamError,
  kebabCase,
  type ParamDef,
  type ParamOptions,
  type ParamSchema,
  type ParamInput,
  type ParamValues,
} from './parameter';
export { PlainDate, DateInterval, DateTime, DateHour } from './calendar';
export { type Target, isTarget } from './target';
export { LocalTarget } from './local-target';
export {
  AtomicWriter,
  atomicWriteFile,
  atomicWriteFileSync,
  sweepStaleTemps,
  setDurableWrites,
} from './atomic-write';
export { AtomicDirectory, atomicWriteDirectory } from './atomic-directory';
export { taskSpawn } from './child-processes';
export { getProjectRoot, setProjectRoot, findProjectRoot } from './project-root';
export {
  loadConfig,
  parseConfig,
  ConfigError,
  type PlumbConfig,
  type RunSettings,
  type FamilySettings,
} from './config';
export { EventStream, newRunId } from './event-stream';
export { RunLogWriter, runLogFileOf } from './run-log';
export { runTasks, policyFor, RUNTIME_VERSION, type RunOptions, type RunResult } from './run';
export { formatSummary } from './summary';
export { TaskGraph, CycleError } from './graph';
export {
  rangeDaily,
  rangeHourly,
  rangeByMinutes,
  type RangeTask,
  type RangeClass,
  type RangeInput,
  type RangeOptions,
  type RangeStep,
} from './operations/range';
export {
  nearRecentMedian,
  rowCount,
  valueWithin,
  type CheckContext,
  type DataCheck,
  type CheckVerdict,
} from './operations/checks';
