// The HTML page of a webview: a root element, the view's bundle and a strict Content-Security-Policy.
import { randomBytes } from 'node:crypto';

export interface WebviewPageInput {
  /** Panel title, also the document title. */
  title: string;
  /** `webview.cspSource`: the origin the webview serves extension resources from. */
  cspSource: string;
  /** Webview URIs (asWebviewUri) of the view's script and, when emitted, its stylesheet. */
  scriptUri: string;
  styleUri?: string;
  /** Fresh per page; tests pass a fixed one. */
  nonce?: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Nothing remote and nothing inline without the nonce: scripts only by nonce, styles and fonts only
 * from the extension. The layout worker is started from a Blob of the worker script fetched from the
 * extension's own origin, hence `worker-src blob:` and `connect-src` of that origin.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    'worker-src blob:',
    `connect-src ${cspSource}`,
  ].join('; ');
}

export function webviewPage(input: WebviewPageInput): string {
  const nonce = input.nonce ?? makeNonce();
  const csp = contentSecurityPolicy(input.cspSource, nonce);
  const style = input.styleUri
    ? `\n    <link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(input.styleUri)}" />`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>${escapeAttribute(input.title)}</title>${style}
  </head>
  <body>
    <div id="root"></div>
    <script nonce="${nonce}" src="${escapeAttribute(input.scriptUri)}"></script>
  </body>
</html>
`;
}
