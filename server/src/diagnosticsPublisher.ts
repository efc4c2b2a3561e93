// Sends each analysis to the client: diagnostics for the documents whose set changed (and clears
// those that have none left), then `plumb/graphChanged` when the graph itself changed. Stops early
// when a newer edit has made the result stale. An analysis that keeps failing is said in the window
// and on the file that changed first (analysisFailureNotice.ts) until one succeeds.
import {
  MessageType,
  ShowMessageNotification,
  type Connection,
  type Diagnostic,
} from 'vscode-languageserver/node';
import type { AnalysisResult } from './analysis/analysisResult';
import type { TaskFamily } from './analysis/model';
import {
  ANALYSIS_FAILED_CODE,
  failureDiagnostic,
  failureMessage,
  recoveredMessage,
} from './analysisFailureNotice';
import type { AnalysisFailure, AnalysisListener } from './analysisScheduler';
import { toLspDiagnostic } from './lspDiagnostics';
import { GraphChangedNotificationMethod, type GraphChangedParams } from './protocol';

const BATCH = 200;

export class DiagnosticsPublisher implements AnalysisListener {
  private sent = new Map<string, string>();
  private graphSignature = '';
  /** The failure last shown, until an analysis is published again. */
  private failure: string | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  failing(failure: AnalysisFailure | undefined): void {
    const message = failure && failureMessage(failure);
    if (message === this.failure) return;
    this.failure = message;
    const sent = (error: unknown) => this.log(`the failure notice was not sent: ${error}`);
    if (!failure) {
      // published() has just replaced the notice's diagnostic with the file's own.
      this.connection
        .sendNotification(ShowMessageNotification.type, {
          type: MessageType.Info,
          message: recoveredMessage,
        })
        .catch(sent);
      return;
    }
    this.connection
      .sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: message! })
      .catch(sent);
    const notice = failureDiagnostic(failure);
    if (!notice) return;
    // Beside the file's last diagnostics (in place of an earlier notice); recorded as sent, so the
    // next publication clears it.
    const last = JSON.parse(this.sent.get(notice.uri) ?? '[]') as Diagnostic[];
    const diagnostics = [...last.filter((d) => d.code !== ANALYSIS_FAILED_CODE), notice.diagnostic];
    this.sent.set(notice.uri, JSON.stringify(diagnostics));
    this.connection.sendDiagnostics({ uri: notice.uri, diagnostics }).catch(sent);
  }

  async published(result: AnalysisResult, isStale: () => boolean): Promise<void> {
    const byUri = result.diagnosticsByUri();
    const next = new Map<string, string>();
    const updates: { uri: string; json: string; diagnostics: ReturnType<typeof toLspDiagnostic>[] }[] = [];
    for (const [uri, list] of byUri) {
      const diagnostics = list.map(toLspDiagnostic);
      const json = JSON.stringify(diagnostics);
      next.set(uri, json);
      if (this.sent.get(uri) !== json) updates.push({ uri, json, diagnostics });
    }
    for (const uri of this.sent.keys())
      if (!next.has(uri)) updates.push({ uri, json: '[]', diagnostics: [] });
    for (let i = 0; i < updates.length; i++) {
      if (i > 0 && i % BATCH === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (isStale()) return; // the next analysis publishes from what was really sent
      }
      const u = updates[i]!;
      await this.connection.sendDiagnostics({ uri: u.uri, diagnostics: u.diagnostics });
      if (u.diagnostics.length) this.sent.set(u.uri, u.json);
      else this.sent.delete(u.uri);
    }
    const signature = graphSignature(result);
    if (signature !== this.graphSignature) {
      this.graphSignature = signature;
      const params: GraphChangedParams = { version: result.version, taskCount: result.families.length };
      await this.connection.sendNotification(GraphChangedNotificationMethod, params);
    }
  }
}

/** A family's own part of the signature; family objects are reused while unchanged, so it is kept. */
const familySignatures = new WeakMap<TaskFamily, string>();

function familySignature(f: TaskFamily): string {
  let signature = familySignatures.get(f);
  if (signature === undefined) {
    signature = [
      f.id,
      f.kind,
      String(f.cls.nameRange.start.line),
      f.params.map((p) => `${p.name}:${p.type}:${p.defaultText ?? ''}`).join(','),
      (f.outputs ?? []).map((o) => o.info.template ?? '?').join(','),
    ].join('\n');
    familySignatures.set(f, signature);
  }
  return signature;
}

/** What a graph view shows: families, their params/outputs/lines, edges and flags (not exact columns). */
function graphSignature(result: AnalysisResult): string {
  const parts: string[] = [];
  for (const f of result.families) {
    const i = result.graph.idOf(f);
    parts.push(familySignature(f), result.graph.cyclic[i] ? 'c' : '', result.missing.has(f) ? 'm' : '');
  }
  for (const e of result.graph.edges)
    parts.push(`${e.from.id}>${e.to.id}${e.dynamic ? 'd' : ''}@${e.reference.range.start.line}`);
  return parts.join('\n');
}
