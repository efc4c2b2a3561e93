// Code lenses of a document with many task classes go out without their commands (a range and a
// two-number key), and the editor resolves only those it shows (codeLens/resolve): a generated file
// of thousands of tasks would otherwise send megabytes of titles and arguments on every edit.
import type { CodeLens } from 'vscode-languageserver/node';
import type { AnalysisResult } from './analysis/analysisResult';

/** Up to this many lenses a document's answer carries its commands (no round trips for small files). */
export const EAGER_LENS_LIMIT = 200;
/** Answers whose lenses can still be resolved: the editor resolves those of the latest few. */
const KEPT_ANSWERS = 32;

/** Which answer, which lens of it, and which of the lenses at its place (Run, Debug, …). */
type LensKey = [answer: number, index: number, within: number];

export class LazyLenses {
  private readonly answers = new Map<number, string>();
  private next = 0;
  /** A document's full lenses per analysis, built once for all the resolves of one screen. */
  private readonly built = new WeakMap<AnalysisResult, Map<string, CodeLens[]>>();

  constructor(private readonly lensesOf: (result: AnalysisResult, uri: string) => CodeLens[]) {}

  /** The lenses of a document: whole when few, else unresolved. */
  lenses(result: AnalysisResult, uri: string): CodeLens[] {
    const lenses = this.full(result, uri);
    if (lenses.length <= EAGER_LENS_LIMIT) return lenses;
    const answer = this.next++;
    this.answers.set(answer, uri);
    if (this.answers.size > KEPT_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    let within = 0;
    return lenses.map((lens, index): CodeLens => {
      within = index > 0 && samePlace(lenses[index - 1]!, lens) ? within + 1 : 0;
      return { range: lens.range, data: [answer, index, within] as LensKey };
    });
  }

  /** Fills in a lens's command from the current analysis (the lens at that place, if it is still there). */
  resolve(result: AnalysisResult, lens: CodeLens): CodeLens {
    if (lens.command || !Array.isArray(lens.data)) return lens;
    const [answer, index, within] = lens.data as LensKey;
    const uri = this.answers.get(answer);
    if (uri === undefined) return lens;
    const lenses = this.full(result, uri);
    // An edit since the answer may have moved lenses: the one at this index, else the same one of
    // those at this place.
    const atIndex = lenses[index];
    const found =
      atIndex && samePlace(atIndex, lens) ? atIndex : lenses.filter((l) => samePlace(l, lens))[within];
    return found ? { range: lens.range, command: found.command } : lens;
  }

  private full(result: AnalysisResult, uri: string): CodeLens[] {
    let byUri = this.built.get(result);
    if (!byUri) this.built.set(result, (byUri = new Map()));
    let lenses = byUri.get(uri);
    if (!lenses) byUri.set(uri, (lenses = this.lensesOf(result, uri)));
    return lenses;
  }
}

function samePlace(a: CodeLens, b: CodeLens): boolean {
  return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}
