// Preloaded into a `plumb run` child by the debugger test: acts like a debugger client (as VS Code's
// js-debug does), setting a breakpoint on a line of the pipeline's .ts through the script's source
// map, and records where execution paused. Writes its findings as JSON to $PLUMB_PROBE_OUT.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import inspector from 'node:inspector';
import { SourceMap } from 'node:module';
import path from 'node:path';

const tsFile = process.env.PLUMB_PROBE_FILE;
const tsLine = Number(process.env.PLUMB_PROBE_LINE); // 1-based
const findings = { scriptUrl: null, sources: null, breakpointSet: false, pausedAt: null };
let sourceMap = null;
const session = new inspector.Session();
session.connect();
session.on('Debugger.scriptParsed', ({ params }) => {
  if (!params.url.endsWith(path.basename(tsFile)) || !params.sourceMapURL) return;
  const payload = JSON.parse(Buffer.from(params.sourceMapURL.split(',')[1], 'base64').toString('utf8'));
  findings.scriptUrl = params.url;
  findings.sources = payload.sources;
  const map = new SourceMap(payload);
  sourceMap = map;
  // Original → generated, as a debugger does: the first generated position mapping to the line.
  for (let line = 0; line < 5000; line++) {
    const entry = map.findEntry(line, 0);
    if (entry && entry.originalLine === tsLine - 1 && entry.generatedLine === line) {
      session.post(
        'Debugger.setBreakpoint',
        { location: { scriptId: params.scriptId, lineNumber: line } },
        (err) => {
          findings.breakpointSet = !err;
        },
      );
      findings.generatedLine = line + 1;
      break;
    }
  }
});
session.on('Debugger.paused', ({ params }) => {
  const frame = params.callFrames[0];
  const back = sourceMap?.findEntry(frame.location.lineNumber, frame.location.columnNumber);
  findings.pausedAt = {
    functionName: frame.functionName,
    originalSource: back?.originalSource,
    originalLine: back ? back.originalLine + 1 : null,
  };
  session.post('Debugger.resume');
});
session.post('Debugger.enable');
process.on('exit', () => fs.writeFileSync(process.env.PLUMB_PROBE_OUT, JSON.stringify(findings)));
