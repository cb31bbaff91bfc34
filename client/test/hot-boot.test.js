// The ES module wiring of the whole client, run in a vm against a small fake window
// with fetch and resource entries: globalThis.__hmrHot at boot, the graph fetched
// from the daemon on the first edit, and what the page then does. (import() has no
// loader in a vm, so every import fails here: the old version keeps running.)
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const source = fs.readFileSync(path.join(__dirname, '..', 'hmr-client.js'), 'utf8');
const PAGE = 'http://localhost:3000/index.html';
const SCRIPT = 'http://127.0.0.1:5757/__hmr/client.js';
const BOOT = { hash: 'h1', modules: { 'index.html': 'i1', 'app.js': 'a1', 'view.js': 'v1' }, publicPath: '/', path: '/__hmr', name: '' };

function browser({ query = '', eventSource = true, graphs = {}, scripts = ['/app.js'], resources = [] } = {}) {
  const logs = { log: [], warn: [], error: [] };
  const record = (kind) => (...args) => logs[kind].push(args.map(String).join(' '));
  const b = { logs, fetched: [], reloads: 0, streams: [], bufferSize: null };
  const script = (src) => ({ src: new URL(src, PAGE).href, getAttribute: (name) => (name === 'src' ? src : null) });
  const ctx = {
    console: { log: record('log'), warn: record('warn'), error: record('error') },
    setTimeout: () => 0,
    clearTimeout: () => {},
    setInterval: () => 0,
    addEventListener() {},
    performance: {
      now: () => 1000,
      getEntriesByName: () => [],
      getEntriesByType: (type) => (type === 'resource' ? resources.map((r) => ({ name: new URL(r, PAGE).href, startTime: 10 })) : []),
      setResourceTimingBufferSize: (size) => { b.bufferSize = size; },
    },
    fetch: (url) => {
      b.fetched.push(url);
      const hash = new URL(url).searchParams.get('build');
      const body = graphs[hash];
      return Promise.resolve({ status: body ? 200 : 404, ok: Boolean(body), json: () => Promise.resolve(body) });
    },
    URL, URLSearchParams,
    location: { href: PAGE, origin: new URL(PAGE).origin, reload: () => { b.reloads++; } },
    document: {
      baseURI: PAGE,
      currentScript: { src: SCRIPT + query },
      querySelectorAll: (selector) => (selector === 'script[type="module"][src]' ? scripts.map(script) : []),
      styleSheets: [],
      documentElement: null,
      addEventListener() {},
    },
  };
  if (eventSource) {
    ctx.EventSource = class {
      constructor(url) { this.url = url; b.streams.push(this); }
      close() {}
    };
  }
  ctx.window = ctx;
  vm.createContext(ctx);
  vm.runInContext(source.replace('/*HMR_BOOT*/null', JSON.stringify(BOOT)), ctx);
  b.window = ctx;
  b.send = (payload) => b.streams[b.streams.length - 1].onmessage({ data: JSON.stringify(payload) });
  return b;
}

const built = (hash, modules) => ({ action: 'built', name: '', time: 5, hash, modules, errors: [], warnings: [], changes: {} });
const graph = (hash, modules) => ({
  hash,
  modules: Object.fromEntries(Object.entries(modules).map(([key, imports]) => [key, { version: hash + key.length, imports }])),
});
const settle = async () => { for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve)); };

test('__hmrHot exists before modules run, even with hot updates off, and its contexts never throw', () => {
  const b = browser({ eventSource: false });
  assert.equal(typeof b.window.__hmrHot, 'function');
  const hot = b.window.__hmrHot('http://localhost:3000/view.js?v=1');
  assert.doesNotThrow(() => {
    hot.accept();
    hot.accept(() => {});
    hot.accept('./app.js', () => {});
    hot.accept(['./app.js'], () => {});
    hot.dispose(() => {});
    hot.prune(() => {});
    hot.decline();
    hot.on('vite:beforeUpdate', () => {});
    hot.off('vite:beforeUpdate', () => {});
    hot.send('x');
    hot.data.kept = 1;
  });
  assert.equal(b.window.__hmrHot('http://localhost:3000/view.js?v=2').data.kept, 1);
});

test('the resource timing buffer is made large at boot, before module scripts load', () => {
  assert.equal(browser().bufferSize, 10000);
});

test('the first edit of an entry nobody accepts fetches the new build\'s graph from the daemon, then reloads', async () => {
  const spec = { 'app.js': [] };
  const b = browser({ graphs: { h1: graph('h1', spec), h2: graph('h2', spec) } });
  b.send(built('h2', { ...BOOT.modules, 'app.js': 'a2' }));
  assert.equal(b.reloads, 0, 'not before the graph says so');
  await settle();
  assert.deepEqual(b.fetched, ['http://127.0.0.1:5757/__hmr/graph?build=h2', 'http://127.0.0.1:5757/__hmr/graph?build=h1']);
  assert.equal(b.reloads, 1);
  assert.equal(b.window.hmr.status().hash, 'h2');
});

test('a build whose graph the daemon no longer has reloads, unless reload=false', async () => {
  const b = browser({ graphs: {} });
  b.send(built('h2', { ...BOOT.modules, 'app.js': 'a2' }));
  await settle();
  assert.equal(b.reloads, 1);
  const quiet = browser({ graphs: {}, query: '?reload=false' });
  quiet.send(built('h2', { ...BOOT.modules, 'app.js': 'a2' }));
  await settle();
  assert.equal(quiet.reloads, 0);
  assert.ok(quiet.logs.log.some((line) => line.includes('a reload is needed') && line.includes('(reload=false)')));
});

test('a self-accepting module is disposed and imported anew; a failed import keeps the page', async () => {
  const spec = { 'app.js': ['view.js'], 'view.js': [] };
  const b = browser({ graphs: { h1: graph('h1', spec), h2: graph('h2', spec) }, resources: ['/view.js?v=h17'] });
  const hot = b.window.__hmrHot('http://localhost:3000/view.js?v=h17');
  const disposed = [];
  hot.accept(() => {});
  hot.dispose((data) => disposed.push(data === hot.data));
  b.send(built('h2', { ...BOOT.modules, 'view.js': 'v2' }));
  await settle();
  assert.deepEqual(disposed, [true]);
  assert.equal(b.reloads, 0);
  assert.ok(b.logs.error.some((line) => line.includes('could not import the new view.js; its old version keeps running')));
});

test('a changed module the page does not run fetches nothing and changes nothing', async () => {
  const b = browser({ graphs: {} });
  b.send(built('h2', { ...BOOT.modules, 'view.js': 'v2' }));
  await settle();
  assert.deepEqual(b.fetched, []);
  assert.equal(b.reloads, 0);
});

test('import.meta.hot.on hears stream payloads as hmr.on does, and a failed build as vite:error', () => {
  const b = browser();
  const heard = [];
  const hot = b.window.__hmrHot('http://localhost:3000/view.js?v=1');
  hot.on('deploy', (p) => heard.push(p.target));
  hot.on('vite:error', (p) => heard.push(p.err.message));
  b.send({ action: 'deploy', name: '', target: 'staging' });
  b.send({ ...built('h2', BOOT.modules), errors: ['view.js:1 boom'] });
  assert.deepEqual(heard, ['staging', 'view.js:1 boom']);
});
