// When to analyse: a short debounce after edits, immediately when a request needs a current answer,
// and never publishing work that a newer edit has already made stale. An analysis or a publication
// that fails is tried again a few times, from a fresh read of the workspace, so a failure never
// leaves stale diagnostics until the next edit; nothing runs while idle. Once the retries are spent
// the listener is told (the user must know the diagnostics are stale), and told again on success.
import type { AnalysisResult } from './analysis/analysisResult';
import type { WorkspaceAnalysis } from './analysis/workspaceAnalysis';

export interface AnalysisListener {
  /** Called with each new result; `isStale()` turns true once a newer edit arrives. */
  published(result: AnalysisResult, isStale: () => boolean): Promise<void> | void;
  /** The retries are spent (a failure), or a later analysis was published (undefined). */
  failing?(failure: AnalysisFailure | undefined): void;
}

export interface AnalysisFailure {
  /** The first file that changed since the last analysis that succeeded, when one did. */
  changedFile?: string;
  /** What failed, one line. */
  error: string;
}

/** Delays of the retries after a failure (ms): then only the next change tries again. */
export const RETRY_DELAYS_MS = [1000, 4000, 16_000, 64_000];

export class AnalysisScheduler {
  private timer: NodeJS.Timeout | undefined;
  /** Failed attempts since the last success (analysis or publication). */
  private failures = 0;
  private disposed = false;
  private generation = 0;
  private analysedGeneration = -1;
  private current: AnalysisResult | undefined;
  private firstChangeSinceSuccess: string | undefined;
  /** The listener was told of a failure and not yet of a success. */
  private failingTold = false;

  constructor(
    private readonly analysis: WorkspaceAnalysis,
    private readonly listener: AnalysisListener,
    private readonly delayMs = 150,
    private readonly log: (message: string) => void = () => undefined,
    private readonly retryDelaysMs = RETRY_DELAYS_MS,
  ) {}

  /** Something changed (in `file`, when one is named): analyse after the debounce unless more changes come first. */
  changed(file?: string): void {
    this.firstChangeSinceSuccess ??= file;
    this.generation++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.runInBackground(), this.delayMs);
  }

  /** The result for the current documents, analysing now if edits are pending. */
  latest(): AnalysisResult {
    if (this.current && this.analysedGeneration === this.generation) return this.current;
    clearTimeout(this.timer);
    return this.run();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }

  private run(): AnalysisResult {
    clearTimeout(this.timer);
    this.timer = undefined;
    const generation = this.generation;
    let result: AnalysisResult;
    try {
      result = this.analysis.analyse();
    } catch (error) {
      // The analysis guards each file; this is a bug of ours. Keep serving the last good result
      // meanwhile, and try again from a fresh read of the workspace (the state may be the cause).
      this.log(`analysis failed: ${(error as Error).stack ?? error}`);
      this.failed(true, error);
      if (this.current) return this.current;
      throw error;
    }
    this.current = result;
    this.analysedGeneration = generation;
    let publishing: Promise<void>;
    try {
      publishing = Promise.resolve(this.listener.published(result, () => this.generation !== generation));
    } catch (error) {
      publishing = Promise.reject(error);
    }
    void publishing.then(
      () => {
        if (this.generation !== generation) return;
        this.failures = 0;
        this.firstChangeSinceSuccess = undefined;
        if (this.failingTold) {
          this.failingTold = false;
          this.listener.failing?.(undefined);
        }
      },
      (error) => {
        this.log(`publishing failed: ${(error as Error).stack ?? error}`);
        if (this.generation !== generation) return; // the newer run publishes in its place
        // What was sent is unknown: publish again (the analysis itself is reused).
        this.analysedGeneration = -1;
        this.failed(false, error);
      },
    );
    return result;
  }

  /** Schedules the next retry, unless an edit has already scheduled a run or the retries are spent. */
  private failed(analysisFailed: boolean, error: unknown): void {
    if (this.disposed) return;
    const delay = this.retryDelaysMs[this.failures];
    if (delay === undefined) {
      this.failingTold = true;
      this.listener.failing?.({ changedFile: this.firstChangeSinceSuccess, error: firstLine(error) });
      return;
    }
    this.failures++;
    if (analysisFailed) this.analysis.invalidate();
    if (this.timer === undefined) this.timer = setTimeout(() => this.runInBackground(), delay);
  }

  /** A run no request waits for: a failure is logged and retried by `run`, never thrown out of a timer. */
  private runInBackground(): void {
    try {
      this.run();
    } catch {
      // Already logged, and a retry scheduled.
    }
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0]!;
}
