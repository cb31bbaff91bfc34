// The module update queue with the browser faked: which changes it takes, one graph
// fetch per build, updates in build order, reloads (and ?reload=false), pruning,
// and invalidate() walking on to the importers.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createEsm, createHotRuntime, modulePathFromUrl, publicBase } = require('../hmr-client.js');

const PAGE = 'http://localhost:3000/index.html';

// { 'a.js': ['b.js'] } → the daemon's JSON for a build, versions derived from `tag`.
const graphJson = (tag, modules) => ({
  hash: tag,
  modules: Object.fromEntries(Object.entries(modules).map(([key, value]) => [key, {
    version: tag + '-' + key.replace(/\W/g, ''), ...(Array.isArray(value) ? { imports: value } : value),
  }])),
});

function setup({ graphs = {}, roots = ['app.js'], seen = [], canReload = true, publicPath = '/' } = {}) {
  const logs = { info: [], warn: [], error: [] };
  const record = (kind) => (...args) => logs[kind].push(args.map(String).join(' '));
  const log = { info: record('info'), warn: record('warn'), error: record('error') };
  const s = { logs, fetched: [], asked: [], imported: [], preloaded: [], reloads: 0, events: [], bodies: {}, seen, hash: 'b1', clock: 0 };
  const toKey = (url) => modulePathFromUrl(url, publicPath, PAGE);
  s.hot = createHotRuntime({ toKey, log, now: () => s.clock });
  s.run = (key, version = '1') => s.hot.context(new URL(key + '?v=' + version, publicBase(publicPath, PAGE)).href);
  s.esm = createEsm({
    runtime: s.hot,
    fetchGraph: (hash, since) => {
      s.fetched.push(hash);
      s.asked.push(since ? hash + ' since ' + since : hash);
      const answer = graphs[hash];
      if (typeof answer === 'function') return answer(since);
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(answer === undefined ? null : answer);
    },
    importModule: (url) => {
      s.imported.push(url);
      const key = toKey(url);
      const ctx = s.hot.context(url);
      if (s.bodies[key]) s.bodies[key](ctx);
      return Promise.resolve({ key, url });
    },
    preloadModules: (urls) => { s.preloaded.push(urls); },
    baseUrl: () => publicBase(publicPath, PAGE),
    page: { sightings: () => s.seen.map(({ key, at }) => [key, at]), roots: () => new Set(roots) },
    currentHash: () => s.hash,
    canReload,
    reloadPage: () => { s.reloads++; },
    log,
    now: () => s.clock,
  });
  s.hot.context('http://localhost:3000/__listener.js').on('vite:beforeFullReload', (p) => s.events.push(p));
  return s;
}

test('the first edit fetches the new build\'s graph and the page\'s, and imports the boundary at its versioned URL', async () => {
  const s = setup({
    publicPath: '/static/',
    graphs: { b1: graphJson('b1', { 'app.js': ['a+b.js'], 'a+b.js': [] }), b2: graphJson('b2', { 'app.js': ['a+b.js'], 'a+b.js': [] }) },
  });
  const got = [];
  s.run('a+b.js').accept((m) => got.push(m.url));
  await s.esm.update('b2', 'b1', ['a+b.js']);
  assert.deepEqual(s.fetched, ['b2', 'b1']);
  assert.deepEqual(s.imported, ['http://localhost:3000/static/a+b.js?v=b2-abjs']);
  assert.deepEqual(got, s.imported);
  assert.equal(s.reloads, 0);
  assert.match(s.logs.info.join('\n'), /hot updated a\+b\.js/);
});

test('a change that reaches an entry nobody accepts reloads, announced to vite:beforeFullReload', async () => {
  const g = graphJson('b2', { 'app.js': ['util.js'], 'util.js': [] });
  const s = setup({ graphs: { b2: g }, seen: [{ key: 'util.js', at: 1 }] });
  await s.esm.update('b2', 'b1', ['util.js']);
  assert.equal(s.reloads, 1);
  assert.deepEqual(s.events, [{ type: 'full-reload', triggeredBy: '/app.js' }]);
  assert.deepEqual(s.imported, []);
});

test('with reload=false a needed reload is only logged, and the next build still applies', async () => {
  const g2 = graphJson('b2', { 'app.js': ['util.js', 'view.js'], 'util.js': [], 'view.js': [] });
  const g3 = graphJson('b3', { 'app.js': ['util.js', 'view.js'], 'util.js': [], 'view.js': [] });
  const s = setup({ graphs: { b2: g2, b3: g3 }, canReload: false, seen: [{ key: 'util.js', at: 1 }] });
  s.run('view.js').accept();
  await s.esm.update('b2', 'b1', ['util.js']);
  assert.equal(s.reloads, 0);
  assert.deepEqual(s.events, []);
  assert.match(s.logs.info.join('\n'), /a reload is needed: nothing accepts the update of app\.js \(reload=false\)/);
  await s.esm.update('b3', 'b2', ['view.js']);
  assert.deepEqual(s.imported, ['http://localhost:3000/view.js?v=b3-viewjs']);
});

test('a build whose graph the daemon no longer has reloads; so does one it cannot read', async () => {
  const gone = setup({ graphs: {} });
  gone.run('a.js').accept();
  await gone.esm.update('b2', 'b1', ['a.js']);
  assert.equal(gone.reloads, 1);
  assert.match(gone.logs.info.join('\n'), /reloading: the daemon no longer has the module graph of build b2/);
  const broken = setup({ graphs: { b2: new Error('network down') } });
  broken.run('a.js').accept();
  await broken.esm.update('b2', 'b1', ['a.js']);
  assert.equal(broken.reloads, 1);
});

test('a changed module the graph does not have reloads, as any script without a handler did', async () => {
  const s = setup({ graphs: { b2: graphJson('b2', {}) }, seen: [{ key: 'legacy.js', at: 1 }] });
  await s.esm.update('b2', 'b1', ['legacy.js']);
  assert.equal(s.reloads, 1);
  assert.deepEqual(s.events, [{ type: 'full-reload', triggeredBy: '/legacy.js' }]);
});

test('updates apply in build order even when the later build\'s graph arrives first', async () => {
  let release;
  const slow = new Promise((resolve) => { release = resolve; });
  const spec = { 'app.js': ['view.js'], 'view.js': [] };
  const s = setup({ graphs: { b1: graphJson('b1', spec), b2: () => slow, b3: graphJson('b3', spec) } });
  s.run('view.js').accept();
  s.bodies['view.js'] = (ctx) => ctx.accept();
  const first = s.esm.update('b2', 'b1', ['view.js']);
  const second = s.esm.update('b3', 'b2', ['view.js']);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(s.imported, [], 'b3 waits for b2');
  release(graphJson('b2', spec));
  await Promise.all([first, second]);
  assert.deepEqual(s.imported, ['http://localhost:3000/view.js?v=b2-viewjs', 'http://localhost:3000/view.js?v=b3-viewjs']);
});

test('each build\'s graph is fetched once and kept for the next update', async () => {
  const spec = { 'app.js': ['view.js'], 'view.js': [] };
  const s = setup({ graphs: { b1: graphJson('b1', spec), b2: graphJson('b2', spec), b3: graphJson('b3', spec) } });
  s.run('view.js').accept();
  s.bodies['view.js'] = (ctx) => ctx.accept();
  await s.esm.update('b2', 'b1', ['view.js']);
  await s.esm.update('b3', 'b2', ['view.js']);
  assert.deepEqual(s.fetched, ['b2', 'b1', 'b3']);
});

test('a build prefetched as its frame arrives is fetched once, and every new instance is preloaded before any import', async () => {
  // The section accepts the group two levels above the edited leaf.
  const spec = { 'app.js': ['section.js'], 'section.js': ['group.js'], 'group.js': ['leaf.js'], 'leaf.js': [] };
  const s = setup({ graphs: { b1: graphJson('b1', spec), b2: graphJson('b2', spec) } });
  for (const key of ['app.js', 'group.js', 'leaf.js']) s.run(key);
  s.run('section.js').accept('./group.js', () => {});
  s.esm.prefetch('b2', 'b1');
  await null;
  assert.deepEqual(s.fetched, ['b2']);
  s.esm.update('b2', 'b1', ['leaf.js']).then(() => {});
  await s.esm.idle();
  assert.deepEqual(s.fetched, ['b2', 'b1']);
  assert.deepEqual(s.preloaded, [['http://localhost:3000/group.js?v=b2-groupjs', 'http://localhost:3000/leaf.js?v=b2-leafjs']]);
  assert.deepEqual(s.imported, ['http://localhost:3000/group.js?v=b2-groupjs']);
  assert.equal(s.reloads, 0);
});

test('the next build\'s graph is asked for as its difference from the graph the page has', async () => {
  const spec = { 'app.js': ['view.js', 'util.js'], 'view.js': ['util.js'], 'util.js': [] };
  const b3 = graphJson('b3', spec);
  const s = setup({ graphs: {
    b1: graphJson('b1', spec),
    b2: graphJson('b2', spec),
    // b2 → b3 moved view.js only; the daemon answers with it alone when asked since b2.
    b3: (since) => Promise.resolve(since === 'b2' ? { hash: 'b3', since: 'b2', removed: [], modules: { 'view.js': b3.modules['view.js'] } } : b3),
    // The daemon no longer has b3's graph to compare with: it answers whole.
    b4: () => Promise.resolve(graphJson('b4', spec)),
  } });
  s.run('view.js').accept();
  s.bodies['view.js'] = (ctx) => ctx.accept();
  await s.esm.update('b2', 'b1', ['view.js']);
  await s.esm.update('b3', 'b2', ['view.js']);
  await s.esm.update('b4', 'b3', ['view.js']);
  assert.deepEqual(s.asked, ['b2', 'b1', 'b3 since b2', 'b4 since b3']);
  assert.deepEqual(s.imported.slice(1), ['http://localhost:3000/view.js?v=b3-viewjs', 'http://localhost:3000/view.js?v=b4-viewjs']);
  assert.equal(s.reloads, 0);
});

test('the difference a built payload carries is used as it is, when it starts from the page\'s graph', async () => {
  const spec = { 'app.js': ['view.js'], 'view.js': [] };
  const later = (tag) => ({ since: 'b' + (Number(tag[1]) - 1), removed: [], modules: { 'view.js': graphJson(tag, spec).modules['view.js'] } });
  const s = setup({ graphs: { b1: graphJson('b1', spec), b2: graphJson('b2', spec), b4: (since) => Promise.resolve(graphJson('b4', spec)) } });
  s.run('view.js').accept();
  s.bodies['view.js'] = (ctx) => ctx.accept();
  await s.esm.update('b2', 'b1', ['view.js']);
  s.esm.prefetch('b3', 'b2', later('b3'));
  await s.esm.update('b3', 'b2', ['view.js']);
  s.esm.prefetch('b4', 'b3', { since: 'b1', removed: [], modules: {} }); // Not from the page's graph: asked for.
  await s.esm.update('b4', 'b3', ['view.js']);
  assert.deepEqual(s.asked, ['b2', 'b1', 'b4 since b3']);
  assert.deepEqual(s.imported.slice(1), ['http://localhost:3000/view.js?v=b3-viewjs', 'http://localhost:3000/view.js?v=b4-viewjs']);
  assert.equal(s.reloads, 0);
});

test('a difference whose earlier graph could not be read is asked for again whole', async () => {
  const spec = { 'app.js': ['view.js'], 'view.js': [] };
  const b2 = graphJson('b2', spec);
  const s = setup({ graphs: {
    b1: new Error('the network went away'),
    b2: (since) => Promise.resolve(since ? { hash: 'b2', since, removed: [], modules: { 'view.js': b2.modules['view.js'] } } : b2),
  } });
  s.run('view.js').accept();
  s.esm.prefetch('b1', null); // The page asked for its own build's graph and failed.
  await s.esm.update('b2', 'b1', ['view.js']);
  assert.deepEqual(s.asked, ['b1', 'b2 since b1', 'b2']);
  assert.deepEqual(s.imported, ['http://localhost:3000/view.js?v=b2-viewjs']);
  assert.equal(s.reloads, 0);
});

test('take() keeps the changed .js and .mjs the page runs that no hmr.accept claims, and leaves the rest', () => {
  const s = setup({ roots: ['app.js'], seen: [{ key: 'util.mjs', at: 1 }, { key: 'legacy.js', at: 1 }] });
  s.run('view.js');
  const diff = { added: ['new.js', 'view.js'], removed: ['old.js'], updated: ['app.js', 'app.css', 'legacy.js', 'unused.js', 'util.mjs'] };
  assert.deepEqual(s.esm.take(diff, new Set(['legacy.js'])), {
    keys: ['app.js', 'util.mjs', 'view.js'],
    rest: { added: ['new.js'], removed: ['old.js'], updated: ['app.css', 'legacy.js', 'unused.js'] },
  });
});

test('a module the new version no longer imports is pruned, and runs again only once it is fetched again', async () => {
  const s = setup({
    graphs: {
      b1: graphJson('b1', { 'app.js': ['view.js'], 'view.js': ['old.js'], 'old.js': [] }),
      b2: graphJson('b2', { 'app.js': ['view.js'], 'view.js': [], 'old.js': [] }),
      b3: graphJson('b3', { 'app.js': ['view.js'], 'view.js': [], 'old.js': [] }),
    },
    seen: [{ key: 'old.js', at: 1 }],
  });
  const pruned = [];
  s.run('view.js').accept();
  s.run('old.js').prune(() => pruned.push('old.js'));
  s.clock = 5;
  await s.esm.update('b2', 'b1', ['view.js']);
  assert.deepEqual(pruned, ['old.js']);
  assert.equal(s.esm.loaded().has('old.js'), false);
  assert.deepEqual(s.esm.take({ added: [], removed: [], updated: ['old.js'] }, new Set()).keys, ['old.js'],
    'an edit of it is not taken for a script the page uses, which would reload');
  await s.esm.update('b3', 'b2', ['old.js']);
  assert.equal(s.reloads, 0);
  s.seen.push({ key: 'old.js', at: 9 });
  assert.equal(s.esm.loaded().has('old.js'), true);
});

test('invalidate() in an accept callback updates the importers next, and reloads when that bubbles out', async () => {
  const spec = { 'app.js': ['page.js'], 'page.js': ['store.js'], 'store.js': [] };
  const s = setup({ graphs: { b1: graphJson('b1', spec), b2: graphJson('b2', spec) } });
  const store = s.run('store.js');
  store.accept(() => store.invalidate('state shape changed'));
  s.run('page.js').accept();
  await s.esm.update('b2', 'b1', ['store.js']);
  await s.esm.idle();
  assert.deepEqual(s.imported, ['http://localhost:3000/store.js?v=b2-storejs', 'http://localhost:3000/page.js?v=b2-pagejs']);
  assert.equal(s.reloads, 0);

  const t = setup({ graphs: { b1: graphJson('b1', spec), b2: graphJson('b2', spec) }, seen: [{ key: 'page.js', at: 1 }] });
  const store2 = t.run('store.js');
  store2.accept(() => store2.invalidate());
  await t.esm.update('b2', 'b1', ['store.js']);
  await t.esm.idle();
  assert.equal(t.reloads, 1);
  assert.deepEqual(t.events, [{ type: 'full-reload', triggeredBy: '/app.js' }]);
});

test('after invalidate() an importer that accepts the module takes its running new instance, disposed once', async () => {
  const spec = { 'app.js': ['page.js'], 'page.js': ['store.js'], 'store.js': [] };
  const s = setup({ graphs: { b1: graphJson('b1', spec), b2: graphJson('b2', spec) } });
  let disposed = 0;
  const got = [];
  s.bodies['store.js'] = (ctx) => ctx.accept(() => ctx.invalidate());
  const store = s.run('store.js');
  store.dispose(() => { disposed++; });
  store.accept(() => store.invalidate());
  s.run('page.js').accept('./store.js', (mod) => got.push(mod.url));
  await s.esm.update('b2', 'b1', ['store.js']);
  await s.esm.idle();
  assert.equal(s.reloads, 0);
  assert.equal(disposed, 1, 'only the old instance is disposed');
  assert.deepEqual(s.imported, ['http://localhost:3000/store.js?v=b2-storejs', 'http://localhost:3000/store.js?v=b2-storejs']);
  assert.deepEqual(got, ['http://localhost:3000/store.js?v=b2-storejs']);
  assert.deepEqual(s.preloaded, [['http://localhost:3000/store.js?v=b2-storejs'], []], 'the running instance is not fetched again');
});

test('after a reload is under way, queued updates do nothing', async () => {
  const spec = { 'app.js': ['util.js', 'view.js'], 'util.js': [], 'view.js': [] };
  const s = setup({ graphs: { b2: graphJson('b2', spec), b3: graphJson('b3', spec) }, seen: [{ key: 'util.js', at: 1 }] });
  s.run('view.js').accept();
  s.esm.update('b2', 'b1', ['util.js']);
  await s.esm.update('b3', 'b2', ['view.js']);
  assert.equal(s.reloads, 1);
  assert.deepEqual(s.imported, []);
});

test('a failed import keeps the old version running; the next build applies', async () => {
  const spec = { 'app.js': ['view.js'], 'view.js': [] };
  const s = setup({ graphs: { b2: graphJson('b2', spec), b3: graphJson('b3', spec) } });
  s.run('view.js').accept();
  s.bodies['view.js'] = (ctx) => { ctx.accept(); throw new Error('TypeError at line 3'); };
  await s.esm.update('b2', 'b1', ['view.js']);
  assert.equal(s.reloads, 0);
  assert.match(s.logs.error.join('\n'), /could not import the new view\.js; its old version keeps running/);
  delete s.bodies['view.js'];
  await s.esm.update('b3', 'b2', ['view.js']);
  assert.equal(s.imported.length, 2);
  assert.equal(s.reloads, 0);
});
