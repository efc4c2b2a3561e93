import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, makeNonce, webviewPage } from '../../client/src/webviewHtml';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

test('the policy allows nothing remote, nothing inline without the nonce, workers only from blobs', () => {
  const csp = directives(contentSecurityPolicy(cspSource, 'N0NCE'));
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.deepEqual(csp.get('script-src'), ["'nonce-N0NCE'"]);
  assert.deepEqual(csp.get('style-src'), [cspSource, "'nonce-N0NCE'"]);
  assert.deepEqual(csp.get('worker-src'), ['blob:']);
  assert.deepEqual(csp.get('connect-src'), [cspSource]);
  for (const values of csp.values()) {
    assert.ok(
      !values.some((v) => v === "'unsafe-inline'" || v === "'unsafe-eval'" || v === '*' || v === 'https:'),
    );
  }
});

test('the page carries the policy, a root element and the script with the same nonce', () => {
  const html = webviewPage({
    title: 'Plumb Graph',
    cspSource,
    scriptUri: `${cspSource}/ext/dist/webview/graph.js`,
    styleUri: `${cspSource}/ext/dist/webview/graph.css`,
    nonce: 'abc123',
  });
  assert.match(
    html,
    /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-abc123'/,
  );
  assert.match(html, /<div id="root"><\/div>/);
  assert.match(html, /<script nonce="abc123" src="[^"]+\/dist\/webview\/graph\.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" nonce="abc123" href="[^"]+graph\.css" \/>/);
  assert.match(html, /<title>Plumb Graph<\/title>/);
  assert.equal(html.match(/<script/g)?.length, 1, 'exactly one script, no inline code');
});

test('without a stylesheet there is no link; nonces are fresh and unguessable', () => {
  const html = webviewPage({ title: 'Plumb Run', cspSource, scriptUri: 'x/run.js' });
  assert.ok(!html.includes('<link'));
  const nonces = new Set(Array.from({ length: 100 }, makeNonce));
  assert.equal(nonces.size, 100);
  for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9_-]{24}$/);
});

test('attribute values are escaped', () => {
  const html = webviewPage({ title: 'a"<b>', cspSource, scriptUri: 'x/"onload="alert(1)', nonce: 'n' });
  assert.ok(!html.includes('"onload="'));
  assert.ok(html.includes('&quot;onload=&quot;'));
});
