// import.meta.hot contexts and applying an update plan, with the import passed in:
// accepts, data across replacements, dispose once, fresh callbacks for each new
// instance, events, invalidate, prune and failed imports.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHotRuntime, modulePathFromUrl } = require('../hmr-client.js');

const PAGE = 'http://localhost:3000/index.html';
const url = (key, version = '1') => 'http://localhost:3000/' + key + '?v=' + version;

function setup() {
  const logs = { info: [], warn: [], error: [] };
  const record = (kind) => (...args) => logs[kind].push(args.map(String).join(' '));
  let clock = 0;
  const hot = createHotRuntime({
    toKey: (u) => modulePathFromUrl(u, '/', PAGE),
    log: { info: record('info'), warn: record('warn'), error: record('error') },
    now: () => ++clock,
  });
  // `bodies[key](hot)` is what a module does when it runs; load(key) runs its new version.
  const bodies = {};
  const imported = [];
  const load = (key) => {
    imported.push(key);
    const ctx = hot.context(url(key, 'new'));
    if (bodies[key]) bodies[key](ctx);
    return { name: key, version: 'new' };
  };
  return { hot, logs, bodies, imported, load };
}
const plan = (boundaries, replaced) => ({
  boundaries: boundaries.map(([boundary, accepted, circular = false]) => ({ boundary, accepted, circular })),
  replaced,
});

test('accept() in its forms registers what propagation reads: self, dependencies, declined', () => {
  const { hot } = setup();
  hot.context(url('a.js')).accept();
  hot.context(url('js/b.js')).accept((m) => m);
  const c = hot.context(url('js/c.js'));
  c.accept('./d.js', () => {});
  c.accept(['../e.js', '/f.js'], () => {});
  c.decline();
  hot.context(url('g.js')).acceptExports(['x'], () => {});
  hot.context(url('plain.js'));
  const accepts = hot.accepts();
  assert.deepEqual(accepts.get('a.js'), { self: true, deps: new Set(), declined: false });
  assert.deepEqual(accepts.get('js/b.js'), { self: true, deps: new Set(), declined: false });
  assert.deepEqual(accepts.get('js/c.js'), { self: false, deps: new Set(['js/d.js', 'e.js', 'f.js']), declined: true });
  assert.equal(accepts.get('g.js').self, true);
  assert.deepEqual(accepts.get('plain.js'), { self: false, deps: new Set(), declined: false });
});

test('a bare or malformed accept() never throws: it warns once and accepts nothing', () => {
  const { hot, logs } = setup();
  const ctx = hot.context(url('a.js'));
  assert.doesNotThrow(() => { ctx.accept('react', () => {}); ctx.accept('react', () => {}); ctx.accept(42); });
  assert.equal(logs.warn.length, 1);
  assert.equal(logs.error.length, 1);
  assert.deepEqual(hot.accepts().get('a.js').deps, new Set());
});

test('data is one object per module, the same across its replacements', () => {
  const { hot } = setup();
  const first = hot.context(url('a.js', '1'));
  first.data.count = 1;
  const second = hot.context(url('a.js', '2'));
  assert.equal(second.data, first.data);
  assert.equal(second.data.count, 1);
  assert.notEqual(hot.context(url('b.js')).data, first.data);
});

test('a self-accepting module is disposed once, imported anew and handed to the old instance\'s callback', async () => {
  const { hot, load, imported, bodies } = setup();
  const seen = [];
  const old = hot.context(url('view.js'));
  old.accept((m) => seen.push(['accept', m.version]));
  old.dispose((data) => { data.state = 'kept'; seen.push(['dispose']); });
  bodies['view.js'] = (ctx) => seen.push(['runs with', ctx.data.state]);
  const result = await hot.applyUpdate(plan([['view.js', 'view.js']], ['view.js', 'view.js']), load);
  assert.deepEqual(result, { updated: ['view.js'], failed: [], reload: null, errors: [] });
  assert.deepEqual(imported, ['view.js']);
  assert.deepEqual(seen, [['dispose'], ['runs with', 'kept'], ['accept', 'new']]);
});

test('an accept callback that throws is logged and named in the result, with its stack, for the page\'s report', async () => {
  const { hot, load, logs } = setup();
  hot.context(url('view.js')).accept(() => { throw new TypeError('state is undefined'); });
  const result = await hot.applyUpdate(plan([['view.js', 'view.js']], ['view.js']), load);
  assert.deepEqual(result.updated, ['view.js']);
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0], /^an import\.meta\.hot\.accept callback of view\.js threw: TypeError: state is undefined\n\s+at /);
  assert.match(logs.error[0], /an import\.meta\.hot\.accept callback of view\.js threw/);
});

test('the new instance starts with fresh callbacks: the old accept and dispose are gone', async () => {
  const { hot, load } = setup();
  const calls = [];
  const old = hot.context(url('view.js'));
  old.accept(() => calls.push('old accept'));
  old.dispose(() => calls.push('old dispose'));
  await hot.applyUpdate(plan([['view.js', 'view.js']], ['view.js']), load);
  assert.equal(hot.accepts().get('view.js').self, false, 'the new version did not call accept');
  await hot.applyUpdate(plan([['view.js', 'view.js']], ['view.js']), load);
  assert.deepEqual(calls, ['old dispose', 'old accept'], 'each ran once, for the replacement of their own instance');
});

test('every replaced module between the change and the boundary is disposed, each handler once', async () => {
  const { hot, load } = setup();
  const disposed = [];
  const parent = hot.context(url('parent.js'));
  parent.accept('./mid.js', () => {});
  parent.dispose(() => disposed.push('parent')); // The boundary takes the update; it is not replaced.
  hot.context(url('mid.js')).dispose(() => disposed.push('mid'));
  const leaf = hot.context(url('leaf.js'));
  leaf.dispose(() => disposed.push('leaf 1'));
  leaf.dispose(() => disposed.push('leaf 2'));
  await hot.applyUpdate(plan([['parent.js', 'mid.js']], ['leaf.js', 'mid.js']), load);
  assert.deepEqual(disposed, ['leaf 1', 'leaf 2', 'mid']);
});

test('accept(dep) gets the new dependency; accept([deps]) is called once, undefined for what did not change', async () => {
  const { hot, load } = setup();
  const got = [];
  const app = hot.context(url('js/app.js'));
  app.accept('./a.js', (m) => got.push(['one', m && m.name]));
  app.accept(['./a.js', './b.js', './c.js'], (mods) => got.push(['list', mods.map((m) => m && m.name)]));
  await hot.applyUpdate(plan([['js/app.js', 'js/a.js'], ['js/app.js', 'js/c.js']], ['js/a.js', 'js/c.js']), load);
  assert.deepEqual(got, [['one', 'js/a.js'], ['list', ['js/a.js', undefined, 'js/c.js']]]);
});

test('vite:beforeUpdate and vite:afterUpdate frame the update with Vite\'s payload', async () => {
  const { hot, load } = setup();
  const order = [];
  const ctx = hot.context(url('view.js'));
  ctx.accept(() => order.push('accept'));
  ctx.dispose(() => order.push('dispose'));
  ctx.on('vite:beforeUpdate', (p) => order.push(['before', p]));
  hot.context(url('other.js')).on('vite:afterUpdate', (p) => order.push(['after', p.updates.length]));
  await hot.applyUpdate(plan([['view.js', 'view.js', true]], ['view.js']), load);
  assert.deepEqual(order.map((o) => (Array.isArray(o) ? o[0] : o)), ['before', 'dispose', 'accept', 'after']);
  const payload = order[0][1];
  assert.equal(payload.type, 'update');
  assert.deepEqual({ ...payload.updates[0], timestamp: 0 }, {
    type: 'js-update', path: '/view.js', acceptedPath: '/view.js', timestamp: 0,
    explicitImportRequired: false, isWithinCircularImport: true, firstInvalidatedBy: undefined,
  });
});

test('a failed import keeps the old version and its callbacks; the update is logged, not reloaded', async () => {
  const { hot, logs } = setup();
  const calls = [];
  hot.context(url('view.js')).accept(() => calls.push('accepted'));
  const failing = (key) => { hot.context(url(key, 'broken')); throw new Error('SyntaxError in ' + key); };
  const result = await hot.applyUpdate(plan([['view.js', 'view.js']], ['view.js']), failing);
  assert.deepEqual({ ...result, errors: result.errors.map((e) => e.split('\n')[0]) },
    { updated: [], failed: ['view.js'], reload: null, errors: ['could not import the new view.js: Error: SyntaxError in view.js'] });
  assert.deepEqual(calls, []);
  assert.match(logs.error[0], /could not import the new view\.js; its old version keeps running: Error: SyntaxError in view\.js/);
  assert.equal(hot.accepts().get('view.js').self, true, 'the old instance still accepts the next try');
});

test('a failed import inside an import cycle asks for a reload', async () => {
  const { hot } = setup();
  hot.context(url('a.js')).accept();
  const result = await hot.applyUpdate(plan([['a.js', 'a.js', true]], ['a.js', 'b.js']), () => Promise.reject(new Error('404')));
  assert.equal(result.reload, 'a.js failed to import, and it is in an import cycle');
});

test('on and off: listeners hear events until removed; a new instance drops the old instance\'s listeners', () => {
  const { hot, logs } = setup();
  const heard = [];
  const first = hot.context(url('a.js', '1'));
  const listener = (p) => heard.push('a1 ' + p.hash);
  first.on('built', listener);
  const b = hot.context(url('b.js'));
  const other = (p) => heard.push('b ' + p.hash);
  b.on('built', other);
  b.on('built', () => { throw new Error('broken'); });
  hot.receive({ action: 'built', hash: 'h1', errors: [] });
  b.off('built', other);
  hot.context(url('a.js', '2'));
  hot.receive({ action: 'built', hash: 'h2', errors: [] });
  assert.deepEqual(heard, ['a1 h1', 'b h1'], 'h2 reached neither the removed nor the replaced instance\'s listener');
  assert.equal(logs.error.length, 2, 'a throwing listener is logged; the others still hear');
});

test('every stream payload reaches on(action), and a failed build is also vite:error', () => {
  const { hot } = setup();
  const heard = [];
  const ctx = hot.context(url('a.js'));
  ctx.on('deploy', (p) => heard.push(p.target));
  ctx.on('vite:error', (p) => heard.push(p));
  hot.receive({ action: 'deploy', target: 'staging' });
  hot.receive({ action: 'built', hash: 'h', errors: ['a.js:1 boom', 'more'] });
  assert.deepEqual(heard, ['staging', { type: 'error', err: { message: 'a.js:1 boom\nmore', stack: '' } }]);
});

test('invalidate() tells vite:invalidate listeners and the updater, keeping who invalidated first', async () => {
  const { hot, load, bodies } = setup();
  const events = [];
  const asked = [];
  hot.setInvalidateHandler((request) => asked.push(request));
  const view = hot.context(url('view.js'));
  view.on('vite:invalidate', (p) => events.push(p));
  view.invalidate('cannot take it');
  assert.deepEqual(events, [{ path: '/view.js', message: 'cannot take it', firstInvalidatedBy: '/view.js' }]);
  assert.deepEqual(asked, [{ key: 'view.js', firstInvalidatedBy: 'view.js', message: 'cannot take it' }]);
  // During an update that an invalidate() started, the next one keeps the first invalidator.
  hot.context(url('app.js')).accept(() => {});
  bodies['app.js'] = (ctx) => ctx.invalidate();
  await hot.applyUpdate(plan([['app.js', 'app.js']], ['app.js']), load, 'view.js');
  assert.deepEqual(asked[1], { key: 'app.js', firstInvalidatedBy: 'view.js', message: undefined });
});

test('pruned modules are disposed, then pruned, with their data, which is then forgotten', async () => {
  const { hot } = setup();
  const seen = [];
  const ctx = hot.context(url('gone.js'));
  ctx.data.n = 1;
  ctx.dispose((data) => seen.push(['dispose', data.n]));
  ctx.prune((data) => seen.push(['prune', data.n]));
  ctx.accept();
  hot.context(url('app.js')).on('vite:beforePrune', (p) => seen.push(p));
  await hot.prune(['gone.js']);
  assert.deepEqual(seen, [{ type: 'prune', paths: ['/gone.js'] }, ['dispose', 1], ['prune', 1]]);
  assert.equal(hot.accepts().has('gone.js'), false);
  assert.deepEqual(hot.context(url('gone.js', '2')).data, {});
});

test('send() goes nowhere, harmlessly, and says so once', () => {
  const { hot, logs } = setup();
  const ctx = hot.context(url('a.js'));
  assert.doesNotThrow(() => { ctx.send('my:event', { x: 1 }); ctx.send('my:event'); });
  assert.equal(logs.warn.length, 1);
});

test('the instances that made a context are modules the page runs, with when', () => {
  const { hot } = setup();
  hot.context(url('a.js'));
  hot.context('http://elsewhere.localhost/x.js');
  assert.deepEqual(hot.instances(), [{ key: 'a.js', at: 1 }, { key: 'http://elsewhere.localhost/x.js', at: 2 }]);
});
