// The browser bootstrap, run in a vm against a small fake window: EventSource,
// document, location and a manual clock. It checks the wiring that the pure tests
// cannot: what the page does when frames arrive, and how the connection recovers.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const source = fs.readFileSync(path.join(__dirname, '..', 'hmr-client.js'), 'utf8');
const PAGE = 'http://localhost:3000/index.html';
const SCRIPT = 'http://127.0.0.1:5757/__hmr/client.js';

class FakeNode {
  constructor(attrs = {}) { this.attrs = { ...attrs }; this.parentNode = null; this.children = []; this.listeners = {}; }
  get rel() { return this.attrs.rel || ''; }
  get src() { return this.attrs.src ? new URL(this.attrs.src, PAGE).href : ''; }
  get href() { return this.attrs.href ? new URL(this.attrs.href, PAGE).href : ''; }
  set href(value) { this.attrs.href = value; }
  get nextSibling() { const list = this.parentNode.children; return list[list.indexOf(this) + 1] || null; }
  cloneNode() { return new FakeNode(this.attrs); }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
  removeEventListener(type, fn) { this.listeners[type] = (this.listeners[type] || []).filter((f) => f !== fn); }
  fire(type) { for (const fn of [...(this.listeners[type] || [])]) fn({ type }); }
  appendChild(node) { return this.insertBefore(node, null); }
  insertBefore(node, ref) {
    node.parentNode = this;
    const at = ref ? this.children.indexOf(ref) : -1;
    if (at < 0) this.children.push(node); else this.children.splice(at, 0, node);
    return node;
  }
  removeChild(node) { this.children.splice(this.children.indexOf(node), 1); node.parentNode = null; return node; }
}

// A fake browser. `links` are hrefs of <link rel=stylesheet> put in a container.
function browser({ boot = null, query = '', links = [], eventSource = true, inline = false } = {}) {
  const container = new FakeNode();
  for (const href of links) container.appendChild(new FakeNode({ rel: 'stylesheet', href }));
  const logs = { log: [], warn: [], error: [] };
  const timers = new Map();
  let now = 0;
  let nextTimer = 1;
  const streams = [];
  const listeners = { window: {}, document: {} };
  const stored = new Map();
  const b = {
    container, logs, streams, reloads: 0,
    beacons: [], // The reports the page posted: { url, report }.
    session: stored,
    fireWindow(type, event = {}) { for (const fn of listeners.window[type] || []) fn({ type, ...event }); },
    served: {}, // URL → the hash a Server-Timing header says was sent.
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((x, y) => x[1].at - y[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
    get stream() { return streams[streams.length - 1]; },
    send(payload) { b.stream.onmessage({ data: typeof payload === 'string' ? payload : JSON.stringify(payload) }); },
    links() { return container.children; },
    run() { vm.runInContext(source.replace('/*HMR_BOOT*/null', JSON.stringify(boot)), ctx); },
  };
  class FakeEventSource {
    constructor(url) { this.url = url; this.readyState = 0; streams.push(this); }
    close() { this.readyState = 2; }
    open() { this.readyState = 1; this.onopen && this.onopen({}); }
    fail(giveUp) { this.readyState = giveUp ? 2 : 0; this.onerror && this.onerror({}); }
  }
  const record = (kind) => (...args) => logs[kind].push(args.join(' '));
  const ctx = {
    console: { log: record('log'), warn: record('warn'), error: record('error') },
    setTimeout: (fn, ms) => { timers.set(nextTimer, { fn, at: now + ms }); return nextTimer++; },
    clearTimeout: (id) => timers.delete(id),
    performance: {
      timeOrigin: 1700000000000,
      now: () => now,
      getEntriesByName: (url) => (b.served[url] ? [{ serverTiming: [{ name: 'hmr', description: b.served[url] }] }] : []),
    },
    URL, URLSearchParams,
    setInterval: () => 0,
    addEventListener: (type, fn) => (listeners.window[type] ||= []).push(fn),
    navigator: { sendBeacon: (url, body) => { b.beacons.push({ url, report: JSON.parse(body) }); return true; } },
    sessionStorage: {
      getItem: (key) => (stored.has(key) ? stored.get(key) : null),
      setItem: (key, value) => stored.set(key, String(value)),
      removeItem: (key) => stored.delete(key),
    },
    location: { href: PAGE, origin: new URL(PAGE).origin, reload: () => { b.reloads++; } },
    document: {
      baseURI: PAGE,
      currentScript: new FakeNode(inline ? {} : { src: SCRIPT + query }),
      querySelectorAll: (selector) => (selector === 'link[href]' ? [...container.children] : []),
      styleSheets: [],
      addEventListener: (type, fn) => (listeners.document[type] ||= []).push(fn),
      documentElement: null, // No overlay or indicator here: those are checked in Chromium.
    },
  };
  if (eventSource) ctx.EventSource = FakeEventSource;
  ctx.window = ctx;
  vm.createContext(ctx);
  b.window = ctx;
  return b;
}

const BOOT = { hash: 'h1', modules: { 'css/app.css': 'a1', 'index.html': 'i1' }, publicPath: '/', path: '/__hmr', name: '' };
const built = (hash, modules, extra = {}) =>
  ({ action: 'built', name: '', time: 5, hash, modules, errors: [], warnings: [], changes: {}, ...extra });

test('it connects to the stream next to its own src, once even when included twice', () => {
  const b = browser({ boot: BOOT });
  b.run();
  b.run();
  assert.equal(b.streams.length, 1);
  assert.equal(b.stream.url, 'http://127.0.0.1:5757/__hmr');
  b.stream.open();
  assert.deepEqual({ ...b.window.hmr.status() }, { hash: 'h1', state: 'idle', connected: true });
});

test('a changed stylesheet is swapped in place and the old one leaves only after the new loads', () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css?v=2'] });
  b.run();
  const old = b.links()[0];
  b.send(built('h2', { 'css/app.css': 'a2', 'index.html': 'i1' }));
  assert.equal(b.reloads, 0);
  assert.equal(b.links().length, 2);
  assert.equal(b.links()[0], old);
  assert.equal(b.links()[1].href, 'http://localhost:3000/css/app.css?v=2&hmr=h2');
  b.links()[1].fire('load');
  assert.equal(b.links().length, 1);
  assert.notEqual(b.links()[0], old);
  assert.equal(b.window.hmr.status().hash, 'h2');
});

test('a second swap before the first has loaded still removes every old link', () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  b.send(built('h2', { 'css/app.css': 'a2', 'index.html': 'i1' }));
  b.send(built('h3', { 'css/app.css': 'a3', 'index.html': 'i1' }));
  assert.equal(b.links().length, 3);
  const newest = b.links()[2];
  assert.equal(newest.href, 'http://localhost:3000/css/app.css?hmr=h3');
  newest.fire('load');
  assert.deepEqual(b.links(), [newest]);
});

test('a stylesheet the daemon refuses keeps the old one and is asked for again', () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  const old = b.links()[0];
  b.send(built('h2', { 'css/app.css': 'a2', 'index.html': 'i1' }));
  b.links()[1].fire('error');
  assert.deepEqual(b.links(), [old]);
  b.advance(99);
  assert.equal(b.links().length, 1);
  b.advance(1);
  assert.equal(b.links()[1].href, 'http://localhost:3000/css/app.css?hmr=h2-1');
  b.links()[1].fire('load');
  assert.equal(b.links().length, 1);
  assert.notEqual(b.links()[0], old);
});

test('a stylesheet whose bytes are not its build\'s stays until it is asked for again and right', () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  b.send(built('h2', { 'css/app.css': 'a2', 'index.html': 'i1' }));
  const torn = b.links()[1];
  b.served[torn.href] = 'ffffffffffffffff';
  torn.fire('load');
  assert.deepEqual(b.links(), [torn]);
  b.advance(100);
  const again = b.links()[1];
  assert.equal(again.href, 'http://localhost:3000/css/app.css?hmr=h2-1');
  b.served[again.href] = 'a2';
  again.fire('load');
  assert.deepEqual(b.links(), [again]);
  b.advance(10000);
  assert.deepEqual(b.links(), [again], 'asked for once more, not again and again');
});

test('a stylesheet refused every time is given up on after a few tries, keeping the old one', () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  const old = b.links()[0];
  b.send(built('h2', { 'css/app.css': 'a2', 'index.html': 'i1' }));
  for (let tries = 0; tries < 10 && b.links().length > 1; tries++) {
    b.links()[1].fire('error');
    b.advance(5000);
  }
  assert.deepEqual(b.links(), [old]);
  assert.ok(b.logs.warn.some((line) => line.includes('could not load this build')));
});

test('a changed file that is not a linked stylesheet reloads the page', () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  b.send(built('h2', { 'css/app.css': 'a1', 'index.html': 'i2' }));
  assert.equal(b.reloads, 1);
});

test('with reload=false a needed reload is only logged, and stylesheets still swap', () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'], query: '?reload=false' });
  b.run();
  b.send(built('h2', { 'css/app.css': 'a2', 'index.html': 'i2' }));
  assert.equal(b.reloads, 0);
  assert.equal(b.links().length, 2);
  assert.ok(b.logs.log.some((line) => line.includes('reload is needed') && line.includes('index.html')));
});

test('stylesheets the page does not link change nothing', () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  b.send(built('h2', { 'css/app.css': 'a1', 'css/print.css': 'p1', 'index.html': 'i1' }));
  assert.equal(b.reloads, 0);
  assert.equal(b.links().length, 1);
  assert.equal(b.window.hmr.status().hash, 'h2');
});

test('build errors are logged and nothing is applied until a good build catches up', () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  b.send(built('h2', { 'css/app.css': 'a2', 'index.html': 'i1' }, { errors: ['app.css:3 unexpected }'] }));
  assert.equal(b.links().length, 1);
  assert.equal(b.logs.error.length, 1);
  assert.match(b.logs.error[0], /^\[hmr\].*\n.*app\.css:3 unexpected \}/s);
  assert.deepEqual({ ...b.window.hmr.status() }, { hash: 'h1', state: 'error', connected: false });
  b.send({ action: 'sync', ...built('h2', { 'css/app.css': 'a2', 'index.html': 'i1' }, { errors: ['app.css:3 unexpected }'] }), action: 'sync' });
  assert.equal(b.logs.error.length, 1, 'the same errors again are not logged twice');
  b.send(built('h3', { 'css/app.css': 'a3', 'index.html': 'i1' }));
  assert.equal(b.links().length, 2);
  assert.equal(b.links()[1].href, 'http://localhost:3000/css/app.css?hmr=h3');
  assert.equal(b.window.hmr.status().state, 'idle');
});

test('errors are logged even with log=false, other chatter is not', () => {
  const b = browser({ boot: BOOT, query: '?log=false' });
  b.run();
  b.stream.open();
  b.send({ action: 'building', name: '', trigger: ['src/app.css'] });
  b.send(built('h2', BOOT.modules, { errors: ['boom'] }));
  assert.deepEqual(b.logs.log, []);
  assert.equal(b.logs.error.length, 1);
});

test('building marks the state and logs the trigger', () => {
  const b = browser({ boot: BOOT });
  b.run();
  b.send({ action: 'building', name: '', trigger: ['src/app.css', 'src/b.css'] });
  assert.equal(b.window.hmr.status().state, 'building');
  assert.ok(b.logs.log.some((line) => line.startsWith('[hmr] rebuilding…') && line.includes('src/app.css, src/b.css')));
});

test('a sync with the page\'s own hash changes nothing', () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  b.send({ ...built('h1', { 'css/app.css': 'zz', 'index.html': 'zz' }), action: 'sync' });
  assert.equal(b.reloads, 0);
  assert.equal(b.links().length, 1);
});

test('loaded raw, the first sync is the baseline and later builds diff against it', () => {
  const b = browser({ boot: null });
  b.run();
  assert.equal(b.window.hmr.status().hash, null);
  b.send({ ...built('h7', { 'index.html': 'i7' }), action: 'sync' });
  assert.equal(b.reloads, 0);
  assert.equal(b.window.hmr.status().hash, 'h7');
  b.send(built('h8', { 'index.html': 'i8' }));
  assert.equal(b.reloads, 1);
});

test('payloads for another bundle name, unknown actions and junk frames are ignored', () => {
  const b = browser({ boot: BOOT, query: '?name=app' });
  b.run();
  b.send({ ...built('h2', { 'index.html': 'i2' }), name: 'other' });
  b.send({ action: 'custom-thing', name: 'app' });
  b.send('not json');
  b.send('💓');
  assert.equal(b.reloads, 0);
  assert.deepEqual(b.logs.error, []);
  b.send({ ...built('h2', { 'index.html': 'i2' }), name: 'app' });
  assert.equal(b.reloads, 1);
});

test('heartbeats keep the watchdog quiet, and silence reopens the stream', () => {
  const b = browser({ boot: BOOT, query: '?timeout=1000' });
  b.run();
  b.stream.open();
  b.advance(800);
  b.send('💓');
  b.advance(800);
  assert.equal(b.streams.length, 1);
  assert.equal(b.streams[0].readyState, 1);
  b.advance(300);
  assert.equal(b.streams[0].readyState, 2, 'closed after timeout ms of silence');
  assert.equal(b.window.hmr.status().connected, false);
  b.advance(700);
  assert.equal(b.streams.length, 2);
});

test('a stream the browser gave up on is reopened with growing backoff, reset by a good open', () => {
  const b = browser({ boot: BOOT });
  b.run();
  b.stream.fail(false);
  b.advance(5000);
  assert.equal(b.streams.length, 1, 'the browser retries network errors itself');
  b.stream.fail(true);
  b.advance(350);
  assert.equal(b.streams.length, 1);
  b.advance(300);
  assert.equal(b.streams.length, 2, 'first reopen after 400-600 ms');
  b.stream.fail(true);
  b.advance(750);
  assert.equal(b.streams.length, 2);
  b.advance(500);
  assert.equal(b.streams.length, 3, 'second reopen after 800-1200 ms');
  b.stream.open();
  b.stream.fail(true);
  b.advance(650);
  assert.equal(b.streams.length, 4, 'backoff starts over after a successful open');
});

test('without EventSource it warns once and stops, without throwing', () => {
  const b = browser({ boot: BOOT, eventSource: false });
  assert.doesNotThrow(() => b.run());
  assert.equal(b.logs.warn.length, 1);
  assert.match(b.logs.warn[0], /^\[hmr\]/);
  assert.equal(b.window.hmr.status().connected, false);
});

test('an inlined copy with no src finds the stream at the stamped path on the page origin', () => {
  const b = browser({ boot: { ...BOOT, path: '/dev/hmr' }, inline: true });
  b.run();
  assert.equal(b.stream.url, 'http://localhost:3000/dev/hmr');
});

test('an inlined copy loaded raw warns once and stops', () => {
  const b = browser({ boot: null, inline: true });
  assert.doesNotThrow(() => b.run());
  assert.equal(b.streams.length, 0);
  assert.equal(b.logs.warn.length, 1);
});

test('hmr.accept, dispose, data and on exist and never throw, even without EventSource', () => {
  const b = browser({ boot: BOOT, eventSource: false });
  b.run();
  const hmr = b.window.hmr;
  assert.doesNotThrow(() => {
    hmr.accept('js/app.js', () => {});
    hmr.dispose('js/app.js', () => {});
    hmr.on('custom', () => {});
  });
  hmr.data.count = 1;
  assert.equal(b.window.hmr.data.count, 1);
});

test('custom actions and build events reach hmr.on handlers until unsubscribed', () => {
  const b = browser({ boot: BOOT });
  b.run();
  const seen = [];
  const off = b.window.hmr.on('deploy', (payload) => seen.push(payload.target));
  b.window.hmr.on('built', (payload) => seen.push('built ' + payload.hash));
  b.window.hmr.on('deploy', () => { throw new Error('a broken handler'); });
  b.send({ action: 'deploy', name: '', target: 'staging' });
  b.send(built('h1', BOOT.modules));
  off();
  b.send({ action: 'deploy', name: '', target: 'prod' });
  assert.deepEqual(seen, ['staging', 'built h1']);
  assert.equal(b.logs.error.length, 2, 'each throw is logged, the other handlers still run');
});

test('a sync before the first build (empty hash) is not taken as the page\'s state', () => {
  const b = browser({ boot: { ...BOOT, hash: '', modules: {} } });
  b.run();
  b.send({ ...built('', {}), action: 'sync' });
  assert.equal(b.window.hmr.status().hash, null);
  b.send(built('h1', BOOT.modules));
  assert.equal(b.window.hmr.status().hash, 'h1');
  assert.equal(b.reloads, 0, 'the first real build is the baseline, not a change');
});

test('a changed module with an accept handler is re-imported, not reloaded', () => {
  const b = browser({ boot: { ...BOOT, modules: { ...BOOT.modules, 'js/app.js': 'j1' } } });
  b.run();
  const disposed = [];
  b.window.hmr.accept('./js/app.js', () => {});
  b.window.hmr.dispose('js/app.js', (data) => { disposed.push(data === b.window.hmr.data); });
  b.send(built('h2', { ...BOOT.modules, 'js/app.js': 'j2' }));
  assert.equal(b.reloads, 0);
  assert.deepEqual(disposed, [true], 'dispose ran once, with hmr.data');
  assert.equal(b.window.hmr.status().hash, 'h2');
});

test('build warnings go to the console as warnings, and the update still applies', () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  b.send(built('h2', { 'css/app.css': 'a2', 'index.html': 'i1' }, { warnings: ['app.css:1 deprecated'] }));
  assert.equal(b.logs.warn.length, 1);
  assert.match(b.logs.warn[0], /^\[hmr\] build warnings:\n.*app\.css:1 deprecated/s);
  assert.equal(b.links().length, 2);
  assert.equal(b.window.hmr.status().hash, 'h2');
});

// The page's own HTML is fetched again and patched in place (html.js); these check
// the wiring. The patch itself runs in Chromium (test_chromium_html.py).
function withFetch(b, answer) {
  const asked = [];
  b.window.fetch = (url, init) => { asked.push({ url, init }); return answer(url); };
  b.window.DOMParser = class {};
  b.window.TextDecoder = TextDecoder;
  return asked;
}
const settle = () => new Promise((resolve) => setImmediate(resolve));
const answer = (status, type) => Promise.resolve({ ok: status < 300, status, headers: new Map([['content-type', type]]) });

test('a changed page HTML asks for the build\'s copy of the page, uncached, instead of reloading', async () => {
  const b = browser({ boot: BOOT });
  const asked = withFetch(b, () => new Promise(() => {}));
  b.run();
  b.send(built('h2', { 'css/app.css': 'a1', 'index.html': 'i2' }));
  assert.equal(b.reloads, 0);
  assert.deepEqual(asked.map((a) => [a.url, a.init.cache]), [['http://localhost:3000/index.html?hmr=h2', 'no-store']]);
  assert.equal(b.window.hmr.status().hash, 'h2');
  await settle();
  assert.equal(b.reloads, 0);
});

test('a page copy that cannot be fetched, or is not HTML, reloads the page', async () => {
  for (const reply of [() => Promise.reject(new Error('offline')), () => answer(503, 'text/plain'), () => answer(200, 'application/json')]) {
    const b = browser({ boot: BOOT });
    withFetch(b, reply);
    b.run();
    b.send(built('h2', { 'css/app.css': 'a1', 'index.html': 'i2' }));
    await settle();
    assert.equal(b.reloads, 1);
    assert.ok(b.logs.log.some((line) => line.includes('cannot update index.html in place')), b.logs.log.join('\n'));
  }
});

test('with html=reload a changed page HTML reloads the page at once', () => {
  const b = browser({ boot: BOOT, query: '?html=reload' });
  const asked = withFetch(b, () => new Promise(() => {}));
  b.run();
  b.send(built('h2', { 'css/app.css': 'a1', 'index.html': 'i2' }));
  assert.equal(b.reloads, 1);
  assert.equal(asked.length, 0);
});

test('with reload=false a page copy that cannot be patched is only logged', async () => {
  const b = browser({ boot: BOOT, query: '?reload=false' });
  withFetch(b, () => answer(404, 'text/html'));
  b.run();
  b.send(built('h2', { 'css/app.css': 'a1', 'index.html': 'i2' }));
  await settle();
  assert.equal(b.reloads, 0);
  assert.ok(b.logs.log.some((line) => line.includes('reload is needed for index.html')));
});

// Behind hmrd --proxy (refetch.js) a change to a file the page has no asset for makes
// it ask the backend for itself again. The fake document is one node whose nodeValue is
// its HTML: enough to tell a patch that changes it from one that changes nothing.
const PROXY_BOOT = { ...BOOT, modules: { 'css/app.css': 'a1', 'templates/post.html': 't1', 'views.py': 'v1' }, proxy: true };
const edited = (changes) => built('h2', { ...PROXY_BOOT.modules, ...changes });

function proxied(b, reply, live = '<p>old</p>') {
  const asked = withFetch(b, reply);
  const node = (html) => {
    const n = { writes: 0, value: html, isEqualNode: (other) => other.nodeValue === n.value };
    Object.defineProperty(n, 'nodeValue', { get: () => n.value, set: (v) => { n.writes++; n.value = v; } });
    return n;
  };
  const parsed = (html) => ({ documentElement: node(html), body: { nodeName: 'BODY' }, compatMode: 'CSS1Compat', querySelectorAll: () => [] });
  b.window.DOMParser = class { parseFromString(text) { return parsed(text); } };
  Object.assign(b.window.document, {
    body: { nodeName: 'BODY' },
    compatMode: 'CSS1Compat',
    implementation: { createHTMLDocument: () => ({ ...parsed(''), importNode: (n) => n, replaceChild(n) { this.documentElement = n; } }) },
  });
  b.page = node(live);
  b.window.document.documentElement = b.page;
  return asked;
}
const page = (body, { status = 200, url = PAGE, down = false } = {}) => {
  const headers = new Headers({ 'content-type': 'text/html; charset=utf-8' });
  if (down) headers.set('X-Hmrd-Backend', 'down');
  return Promise.resolve({ ok: status < 300, status, url, headers, arrayBuffer: async () => new TextEncoder().encode(body).buffer });
};
const outcomes = (b) => b.beacons.map((x) => x.report).filter((r) => r.type === 'outcome')
  .map(({ outcome, hash, error }) => (error ? { outcome, hash, error } : { outcome, hash }));

test('behind a proxy a template change fetches the page\'s own URL again, uncached, and patches it in place', async () => {
  const b = browser({ boot: PROXY_BOOT });
  const asked = proxied(b, () => page('<p>new</p>'));
  b.window.location.href = PAGE + '#comments';
  b.run();
  b.stream.open();
  b.send(edited({ 'templates/post.html': 't2' }));
  await settle();
  b.advance(150);
  assert.deepEqual(asked.map((a) => [a.url, a.init.cache, a.init.credentials]), [[PAGE, 'no-store', 'same-origin']]);
  assert.equal(b.reloads, 0);
  assert.equal(b.page.value, '<p>new</p>');
  assert.deepEqual(outcomes(b), [{ outcome: 'applied', hash: 'h2' }]);
  assert.ok(b.logs.log.some((line) => line.includes('updated templates/post.html in place')), b.logs.log.join('\n'));
});

test('behind a proxy the same HTML again touches nothing and is reported unchanged', async () => {
  const b = browser({ boot: PROXY_BOOT });
  proxied(b, () => page('<p>same</p>'), '<p>same</p>');
  b.run();
  b.stream.open();
  b.send(edited({ 'views.py': 'v2' }));
  await settle();
  b.advance(150);
  assert.equal(b.page.writes, 0);
  assert.deepEqual(outcomes(b), [{ outcome: 'unchanged', hash: 'h2' }]);
});

test('behind a proxy a stylesheet change swaps the sheet and asks the backend for nothing', () => {
  const b = browser({ boot: PROXY_BOOT, links: ['/css/app.css'] });
  const asked = proxied(b, () => page('<p>new</p>'));
  b.run();
  b.send(edited({ 'css/app.css': 'a2' }));
  assert.equal(asked.length, 0);
  assert.equal(b.links().length, 2);
});

test('behind a proxy, with html=reload a template change reloads the page without asking for it', () => {
  const b = browser({ boot: PROXY_BOOT, query: '?html=reload' });
  const asked = proxied(b, () => page('<p>new</p>'));
  b.run();
  b.send(edited({ 'templates/post.html': 't2' }));
  assert.equal(b.reloads, 1);
  assert.equal(asked.length, 0);
});

test('behind a proxy a page now answered with 404 or redirected elsewhere reloads; with reload=false it says so', async () => {
  for (const reply of [() => page('gone', { status: 404 }), () => page('<p>log in</p>', { url: 'http://localhost:3000/login' })]) {
    const b = browser({ boot: PROXY_BOOT });
    proxied(b, reply);
    b.run();
    b.send(edited({ 'templates/post.html': 't2' }));
    await settle();
    assert.equal(b.reloads, 1);
    assert.equal(b.page.writes, 0);
  }
  const b = browser({ boot: PROXY_BOOT, query: '?reload=false' });
  proxied(b, () => page('gone', { status: 404 }));
  b.run();
  b.stream.open();
  b.send(edited({ 'templates/post.html': 't2' }));
  await settle();
  b.advance(150);
  assert.equal(b.reloads, 0);
  assert.deepEqual(outcomes(b), [{ outcome: 'failed', hash: 'h2', error: 'a reload is needed for templates/post.html (reload=false)' }]);
});

test('behind a proxy a backend that restarts is asked again every 300 ms until it answers', async () => {
  const b = browser({ boot: PROXY_BOOT });
  const asked = proxied(b, () => (asked.length <= 3 ? page('down', { status: 502, down: true }) : page('<p>new</p>')));
  b.run();
  b.send(edited({ 'views.py': 'v2' }));
  for (let i = 0; i < 3; i++) {
    await settle();
    assert.equal(asked.length, i + 1);
    b.advance(300);
  }
  await settle();
  assert.equal(asked.length, 4);
  assert.equal(b.reloads, 0);
  assert.equal(b.page.value, '<p>new</p>');
});

const reports = (b) => b.beacons.map(({ url, report }) => {
  assert.equal(url, 'http://127.0.0.1:5757/__hmr/report');
  const { page, url: at, ...rest } = report;
  assert.match(page, /^[a-z0-9]+$/);
  assert.equal(at, PAGE);
  return rest;
});

test('the page says hello once the stream is open, and what came of each build once it is done', async () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  assert.deepEqual(b.beacons, [], 'not before the stream is open');
  b.stream.open();
  b.send(built('h2', { 'css/app.css': 'a2', 'index.html': 'i1' }));
  b.advance(7);
  await settle();
  assert.deepEqual(reports(b), [{ type: 'hello', hash: 'h1', name: null }], 'the sheet has not loaded yet');
  b.links()[1].fire('load');
  await settle();
  assert.equal(b.beacons.length, 1, 'an outcome waits: the other tabs\' updates go first');
  b.advance(150);
  b.send(built('h3', { 'css/app.css': 'a2', 'index.html': 'i1', 'other.css': 'o1' }));
  await settle();
  b.advance(150);
  assert.deepEqual(reports(b).slice(1), [
    { type: 'outcome', outcome: 'applied', hash: 'h2', ms: 7 },
    { type: 'outcome', outcome: 'unchanged', hash: 'h3', ms: 0 },
  ]);
});

test('a page that gives up on a stylesheet reports the build failed, saying which', async () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  b.stream.open();
  b.send(built('h2', { 'css/app.css': 'a2', 'index.html': 'i1' }));
  for (let attempt = 0; attempt <= 5; attempt++) {
    b.links()[b.links().length - 1].fire('error');
    b.advance(100 << attempt);
  }
  await settle();
  b.advance(150);
  const [, outcome] = reports(b);
  assert.equal(outcome.outcome, 'failed');
  assert.equal(outcome.error, 'could not load this build of http://localhost:3000/css/app.css');
});

test('a page that reloads for a build says so and leaves its place to its next load', async () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'] });
  b.run();
  b.stream.open();
  b.send(built('h2', { 'css/app.css': 'a1', 'index.html': 'i2' }));
  await settle();
  assert.equal(b.reloads, 1);
  assert.deepEqual(reports(b).map((r) => r.type + (r.reloading ? ' reloading' : '')), ['hello', 'bye reloading']);
  const note = JSON.parse(b.session.get('hmr-reloaded'));
  assert.equal(note.previous, b.beacons[0].report.page);
  b.fireWindow('pagehide', { persisted: false });
  assert.equal(b.beacons.length, 2, 'no second bye as it goes');
});

test('?report=false sends nothing', async () => {
  const b = browser({ boot: BOOT, links: ['/css/app.css'], query: '?report=false' });
  b.run();
  b.stream.open();
  b.send(built('h2', { 'css/app.css': 'a2', 'index.html': 'i1' }));
  b.links()[1].fire('load');
  await settle();
  assert.deepEqual(b.beacons, []);
});
