// Stands in for the extension host on the dev pages: provides acquireVsCodeApi, logs what the view
// posts (window.posted), and sends sample messages once the view says it is ready.
// Query: ?theme=dark|light|hc &large=N &until=SEQ (run: stop the stream there) &live=1 (stream in real time)
// &manual (send nothing: a test drives the view with window.sendToView and reads window.posted).
/* global window, document, location, sessionStorage, setTimeout, URLSearchParams */
(function () {
  const query = new URLSearchParams(location.search);
  document.documentElement.dataset.theme = query.get('theme') || 'dark';
  document.body.classList.add(query.get('theme') === 'light' ? 'vscode-light' : 'vscode-dark');
  const view = document.documentElement.dataset.view;
  const posted = (window.posted = []);
  const send = (message) => window.postMessage(message, '*');
  window.sendToView = send;
  const key = `plumb-dev-state-${view}`;

  function hostReady() {
    const s = window.plumbSamples;
    if (view === 'graph') {
      const large = Number(query.get('large') || 0);
      send({ type: 'graph', graph: large ? s.largeGraph(large) : s.demoGraph(1), depth: -1 });
      if (query.get('highlight'))
        send({ type: 'highlight', nodeId: `${s.demoUri}#${query.get('highlight')}` });
      return;
    }
    const events = s.runEvents('run-6');
    const until = query.has('until') ? Number(query.get('until')) : events.length;
    const live = query.get('live') === '1' || until < events.length;
    send({ type: 'run-reset', runId: 'run-6', live });
    send({ type: 'run-history', runs: s.runs, durations: s.durations });
    if (query.get('live') === '1') {
      const start = events[0].time;
      for (const e of events)
        setTimeout(() => send({ type: 'run-events', runId: 'run-6', events: [e] }), e.time - start);
    } else {
      send({ type: 'run-events', runId: 'run-6', events: events.slice(0, until) });
    }
  }

  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      posted.push(message);
      console.log(`view → host: ${JSON.stringify(message)}`);
      if (message.type === 'ready' && !query.has('manual')) setTimeout(hostReady, 0);
    },
    getState() {
      const text = sessionStorage.getItem(key);
      return text ? JSON.parse(text) : undefined;
    },
    setState(state) {
      sessionStorage.setItem(key, JSON.stringify(state));
    },
  });
})();
