// Where an ES module update stops: boundaries found by walking up from the changed
// modules the page runs, the reasons to reload instead, and what is left to prune.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { readGraph, propagateUpdate, prunedModules } = require('../hmr-client.js');

// { 'a.js': ['b.js'] } or { 'a.js': { imports: [...], dynamic: [...] } } → a graph.
const graph = (modules) => readGraph({
  hash: 'h',
  modules: Object.fromEntries(Object.entries(modules).map(([key, value]) => [key, {
    version: 'v' + key, ...(Array.isArray(value) ? { imports: value } : value),
  }])),
});
// { 'a.js': { self: true, deps: ['b.js'], declined: true } } → what propagateUpdate reads.
const accepts = (spec = {}) => new Map(Object.entries(spec).map(([key, a]) => [key, {
  self: Boolean(a.self), deps: new Set(a.deps || []), declined: Boolean(a.declined),
}]));
const all = (g) => new Set(g.modules.keys());
const boundary = (b, a, circular = false) => ({ boundary: b, accepted: a, circular });

test('a leaf change stops at the module two levels up that accepts the dependency in between', () => {
  const g = graph({ 'app.js': ['parent.js'], 'parent.js': ['mid.js'], 'mid.js': ['leaf.js'], 'leaf.js': [] });
  const plan = propagateUpdate(g, ['leaf.js'], all(g), accepts({ 'parent.js': { deps: ['mid.js'] } }));
  assert.deepEqual(plan, { reload: null, boundaries: [boundary('parent.js', 'mid.js')], replaced: ['leaf.js', 'mid.js'] });
});

test('a self-accepting module is its own boundary and nothing above it is replaced', () => {
  const g = graph({ 'app.js': ['view.js'], 'view.js': [] });
  const plan = propagateUpdate(g, ['view.js'], all(g), accepts({ 'view.js': { self: true } }));
  assert.deepEqual(plan, { reload: null, boundaries: [boundary('view.js', 'view.js')], replaced: ['view.js'] });
});

test('accepting a list of dependencies makes one boundary per changed dependency', () => {
  const g = graph({ 'app.js': ['a.js', 'b.js', 'c.js'], 'a.js': [], 'b.js': [], 'c.js': [] });
  const plan = propagateUpdate(g, ['b.js', 'a.js'], all(g), accepts({ 'app.js': { deps: ['a.js', 'b.js', 'c.js'] } }));
  assert.deepEqual(plan.boundaries, [boundary('app.js', 'a.js'), boundary('app.js', 'b.js')]);
  assert.deepEqual(plan.replaced, ['a.js', 'b.js']);
});

test('a change that reaches an entry nobody accepts reloads, naming the entry', () => {
  const g = graph({ 'app.js': ['util.js'], 'util.js': [] });
  const plan = propagateUpdate(g, ['util.js'], all(g), accepts());
  assert.deepEqual(plan.reload, { reason: 'nothing accepts the update of app.js', key: 'app.js' });
  assert.deepEqual(plan.boundaries, []);
});

test('every importer must lead to a boundary: one accepting path does not cover another that reaches an entry', () => {
  const g = graph({ 'app.js': ['ok.js', 'other.js'], 'ok.js': ['util.js'], 'other.js': ['util.js'], 'util.js': [] });
  const plan = propagateUpdate(g, ['util.js'], all(g), accepts({ 'ok.js': { deps: ['util.js'] } }));
  assert.equal(plan.reload.key, 'app.js');
});

test('a declined module reloads, whether it changed or the update passes through it', () => {
  const g = graph({ 'app.js': ['mid.js'], 'mid.js': ['leaf.js'], 'leaf.js': [] });
  const own = propagateUpdate(g, ['leaf.js'], all(g), accepts({ 'leaf.js': { declined: true, self: true } }));
  assert.deepEqual(own.reload, { reason: 'leaf.js declined hot updates', key: 'leaf.js' });
  const through = propagateUpdate(g, ['leaf.js'], all(g), accepts({ 'mid.js': { declined: true }, 'app.js': { self: true } }));
  assert.equal(through.reload.key, 'mid.js');
});

test('a boundary inside an import cycle takes the update and is marked circular', () => {
  // app.js → a.js ⇄ b.js, and a.js accepts itself.
  const g = graph({ 'app.js': ['a.js'], 'a.js': ['b.js'], 'b.js': ['a.js'] });
  const plan = propagateUpdate(g, ['b.js'], all(g), accepts({ 'a.js': { self: true } }));
  assert.deepEqual(plan, { reload: null, boundaries: [boundary('a.js', 'a.js', true)], replaced: ['a.js', 'b.js'] });
});

test('a cycle below a module that accepts it is imported anew through the accepted module', () => {
  // m.js is imported by both a.js and b.js, which import each other; p.js accepts a.js.
  const g = graph({ 'app.js': ['p.js'], 'p.js': ['a.js'], 'a.js': ['b.js', 'm.js'], 'b.js': ['a.js', 'm.js'], 'm.js': [] });
  const plan = propagateUpdate(g, ['m.js'], all(g), accepts({ 'p.js': { deps: ['a.js'] } }));
  assert.equal(plan.reload, null);
  assert.deepEqual(plan.boundaries, [boundary('p.js', 'a.js', true)]);
  assert.deepEqual(plan.replaced, ['a.js', 'b.js', 'm.js']);
});

test('a cycle with no boundary and no entry reloads instead of walking forever', () => {
  // Loaded from an inline script, so nothing the graph knows imports the cycle.
  const g = graph({ 'a.js': ['b.js'], 'b.js': ['c.js'], 'c.js': ['a.js'] });
  const plan = propagateUpdate(g, ['b.js'], all(g), accepts());
  assert.deepEqual(plan.reload, { reason: 'nothing accepts the update of a.js: its importers lead round an import cycle', key: 'a.js' });
});

test('a cycle that leads to an entry reloads at the entry', () => {
  const g = graph({ 'app.js': ['a.js'], 'a.js': ['b.js'], 'b.js': ['a.js'] });
  assert.equal(propagateUpdate(g, ['b.js'], all(g), accepts()).reload.key, 'app.js');
});

test('a cycle stranded beside a good boundary still reloads: it would keep the old code', () => {
  const g = graph({ 'view.js': ['util.js'], 'c1.js': ['c2.js', 'util.js'], 'c2.js': ['c1.js'], 'util.js': [] });
  const plan = propagateUpdate(g, ['util.js'], all(g), accepts({ 'view.js': { self: true } }));
  assert.equal(plan.reload.key, 'c1.js');
});

test('modules the page never loaded are ignored, as changes and as importers', () => {
  const g = graph({ 'app.js': ['view.js'], 'view.js': ['util.js'], 'lazy.js': ['util.js'], 'util.js': [], 'unused.js': [] });
  const loaded = new Set(['app.js', 'view.js', 'util.js']);
  const plan = propagateUpdate(g, ['util.js', 'unused.js', 'lazy.js'], loaded, accepts({ 'view.js': { self: true } }));
  assert.deepEqual(plan, { reload: null, boundaries: [boundary('view.js', 'view.js')], replaced: ['util.js', 'view.js'] });
  assert.deepEqual(propagateUpdate(g, ['unused.js'], loaded, accepts()), { reload: null, boundaries: [], replaced: [] });
});

test('a dynamic import() makes an importer like a static one', () => {
  const g = graph({ 'app.js': { imports: [], dynamic: ['page.js'] }, 'page.js': [] });
  const plan = propagateUpdate(g, ['page.js'], all(g), accepts({ 'app.js': { deps: ['page.js'] } }));
  assert.deepEqual(plan.boundaries, [boundary('app.js', 'page.js')]);
});

test('invalidate() walks up from the importers, and an update that comes back to the invalidator reloads', () => {
  const g = graph({ 'app.js': ['view.js'], 'view.js': ['store.js'], 'store.js': [] });
  const plan = propagateUpdate(g, ['view.js'], all(g), accepts({ 'store.js': { self: true }, 'view.js': { self: true } }), 'store.js');
  assert.deepEqual(plan.boundaries, [boundary('view.js', 'view.js')]);
  const bubbled = propagateUpdate(g, ['view.js'], all(g), accepts({ 'store.js': { self: true } }), 'store.js');
  assert.equal(bubbled.reload.key, 'app.js');
  const cycle = graph({ 'app.js': ['a.js'], 'a.js': ['b.js'], 'b.js': ['a.js'] });
  const back = propagateUpdate(cycle, ['a.js'], all(cycle), accepts({ 'b.js': { self: true } }), 'b.js');
  assert.deepEqual(back.reload, { reason: 'the update came back to b.js, which called invalidate()', key: 'b.js' });
});

test('a module that imports itself is not its own importer', () => {
  const g = graph({ 'app.js': ['a.js'], 'a.js': ['a.js'] });
  assert.deepEqual(propagateUpdate(g, ['a.js'], all(g), accepts({ 'app.js': { deps: ['a.js'] } })).boundaries, [boundary('app.js', 'a.js')]);
});

test('random graphs full of cycles always finish, and a plan without a reload covers every replaced module', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let round = 0; round < 200; round++) {
    const n = 2 + Math.floor(random() * 40);
    const keys = Array.from({ length: n }, (_, i) => 'm' + i + '.js');
    const spec = {};
    const own = {};
    for (const key of keys) {
      spec[key] = keys.filter(() => random() < 0.12);
      if (random() < 0.2) own[key] = { self: random() < 0.5, deps: keys.filter(() => random() < 0.1) };
    }
    const g = graph(spec);
    const changed = keys.filter(() => random() < 0.2);
    const plan = propagateUpdate(g, changed, all(g), accepts(own));
    if (plan.reload) continue;
    const accepted = new Set(plan.boundaries.map((b) => b.accepted));
    for (const key of plan.replaced) {
      const importers = [...(g.importers.get(key) || [])].filter((k) => k !== key);
      const fine = accepted.has(key) || importers.length > 0;
      assert.ok(fine, 'round ' + round + ': ' + key + ' is replaced but neither accepted nor imported');
    }
  }
});

test('a module a running importer dropped is pruned; entries, unloaded modules and a missing old graph are not', () => {
  const before = graph({ 'app.js': ['a.js', 'b.js', 'main.js'], 'a.js': [], 'b.js': [], 'main.js': [], 'lazy.js': ['b.js'] });
  // Its imports changed, so app.js has another version (the daemon hashes them in).
  const after = graph({ 'app.js': { version: 'v2', imports: ['main.js'] }, 'a.js': [], 'b.js': [], 'main.js': [], 'lazy.js': ['b.js'] });
  const loaded = new Set(['app.js', 'a.js', 'b.js', 'main.js']);
  assert.deepEqual(prunedModules(before, after, loaded, new Set(['app.js'])), ['a.js', 'b.js'],
    'b.js is still imported by lazy.js, which the page never loaded');
  assert.deepEqual(prunedModules(before, after, loaded, new Set(['app.js', 'a.js'])), ['b.js']);
  assert.deepEqual(prunedModules(before, after, new Set(['app.js', 'main.js']), new Set()), []);
  assert.deepEqual(prunedModules(null, after, loaded, new Set()), []);
  const gone = graph({ 'app.js': { version: 'v2', imports: ['a.js', 'main.js'] }, 'a.js': [], 'main.js': [], 'lazy.js': [] });
  assert.deepEqual(prunedModules(before, gone, loaded, new Set(['app.js'])), ['b.js'], 'a module that left is pruned too');
});
