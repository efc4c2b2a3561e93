// When to analyse: a short debounce after edits, immediately when a request needs a current answer,
// and never publishing work that a newer edit has already made stale.
import type { AnalysisResult } from './analysis/analysisResult';
import type { WorkspaceAnalysis } from './analysis/workspaceAnalysis';

export interface AnalysisListener {
  /** Called with each new result; `isStale()` turns true once a newer edit arrives. */
  published(result: AnalysisResult, isStale: () => boolean): Promise<void> | void;
}

export class AnalysisScheduler {
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private analysedGeneration = -1;
  private current: AnalysisResult | undefined;

  constructor(
    private readonly analysis: WorkspaceAnalysis,
    private readonly listener: AnalysisListener,
    private readonly delayMs = 150,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** Something changed: analyse after the debounce unless more changes come first. */
  changed(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), this.delayMs);
  }

  /** The result for the current documents, analysing now if edits are pending. */
  latest(): AnalysisResult {
    if (this.current && this.analysedGeneration === this.generation) return this.current;
    clearTimeout(this.timer);
    return this.run();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private run(): AnalysisResult {
    const generation = this.generation;
    let result: AnalysisResult;
    try {
      result = this.analysis.analyse();
    } catch (error) {
      // The analysis guards each file; this is a bug of ours. Keep serving the last good result.
      this.log(`analysis failed: ${(error as Error).stack ?? error}`);
      if (this.current) return this.current;
      throw error;
    }
    this.current = result;
    this.analysedGeneration = generation;
    void Promise.resolve(this.listener.published(result, () => this.generation !== generation)).catch(
      (error) => this.log(`publishing failed: ${(error as Error).stack ?? error}`),
    );
    return result;
  }
}
