// Reading the daemon's module graph, the URL of a module at a version (what the
// browser makes of the daemon's rewritten specifiers), and the keys that accept()
// specifiers name.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { readGraph, applyGraphDelta, versionedUrl, specifierKey, isModuleKey, publicBase, modulePathFromUrl } = require('../hmr-client.js');

const page = 'http://localhost:3000/blog/post.html?x=1#top';
const root = publicBase('/', page);

test('a graph is indexed by importer, static and dynamic alike, and keeps versions and the hot flag', () => {
  const g = readGraph({ hash: 'b1', modules: {
    'app.js': { version: '0123456789abcdef', imports: ['util.js'], dynamic: ['lazy.js'], hot: true },
    'util.js': { version: '1111111111111111', imports: [] },
    'lazy.js': { version: '2222222222222222', imports: ['util.js'] },
  } });
  assert.equal(g.hash, 'b1');
  assert.deepEqual(g.modules.get('app.js'), { version: '0123456789abcdef', imports: ['util.js'], dynamic: ['lazy.js'], hot: true });
  assert.deepEqual(g.modules.get('util.js'), { version: '1111111111111111', imports: [], dynamic: [], hot: false });
  assert.deepEqual([...g.importers.get('util.js')].sort(), ['app.js', 'lazy.js']);
  assert.deepEqual([...g.importers.get('lazy.js')], ['app.js']);
  assert.equal(g.importers.has('app.js'), false);
});

test('a difference from the earlier build gives the graph read whole, and leaves the earlier one as it was', () => {
  const earlierJson = { hash: 'b1', modules: {
    'app.js': { version: 'a1', imports: ['view.js', 'old.js'] },
    'view.js': { version: 'v1', imports: ['leaf.js'], dynamic: ['lazy.js'] },
    'leaf.js': { version: 'l1', imports: [] },
    'lazy.js': { version: 'z1', imports: ['leaf.js'] },
    'old.js': { version: 'o1', imports: ['leaf.js'] },
  } };
  const laterJson = { hash: 'b2', modules: {
    'app.js': { version: 'a2', imports: ['view.js', 'new.js'] },
    'view.js': { version: 'v2', imports: ['leaf.js'] },
    'leaf.js': { version: 'l1', imports: [] },
    'lazy.js': { version: 'z1', imports: ['leaf.js'] },
    'new.js': { version: 'n2', imports: ['leaf.js', 'new.js'], hot: true },
  } };
  const earlier = readGraph(earlierJson);
  const delta = { hash: 'b2', since: 'b1', removed: ['old.js'], modules: {
    'app.js': laterJson.modules['app.js'], 'view.js': laterJson.modules['view.js'], 'new.js': laterJson.modules['new.js'],
  } };
  assert.deepEqual(applyGraphDelta(earlier, delta), readGraph(laterJson));
  assert.deepEqual(earlier, readGraph(earlierJson), 'the earlier graph is unchanged');
  assert.equal(applyGraphDelta(earlier, delta).importers.has('lazy.js'), false, 'an importer set left empty is gone');
  assert.throws(() => applyGraphDelta(earlier, { hash: 'b2', since: 'b1', modules: { 'x.js': {} } }));
});

test('an answer that is no graph is refused, so the page reloads rather than guesses', () => {
  for (const junk of [null, 'x', {}, { modules: null }, { modules: { 'a.js': {} } }, { modules: { 'a.js': { version: '' } } }]) {
    assert.throws(() => readGraph(junk), undefined, JSON.stringify(junk));
  }
  assert.equal(readGraph({ modules: {} }).modules.size, 0, 'an empty graph is a graph: the daemon serves no modules');
});

test('only .js and .mjs are modules', () => {
  assert.deepEqual(['a.js', 'b.mjs', 'c.css', 'd.json', 'e.js.map', 'f.cjs'].filter(isModuleKey), ['a.js', 'b.mjs']);
});

test('a versioned URL is what the browser makes of "./key?v=version", so the module map holds one instance', () => {
  assert.equal(versionedUrl('js/app.js', 'abc', root), 'http://localhost:3000/js/app.js?v=abc');
  assert.equal(versionedUrl('a+b.js', 'abc', root), 'http://localhost:3000/a+b.js?v=abc', 'no %2B: a second spelling is a second instance');
  assert.equal(versionedUrl('a+b.js', 'abc', root), new URL('./a+b.js?v=abc', root).href);
  assert.equal(versionedUrl('my dir/ünï.js', 'abc', root), new URL('./my dir/ünï.js?v=abc', root).href);
  assert.equal(versionedUrl('my dir/ünï.js', 'abc', root), new URL('./my%20dir/%C3%BCn%C3%AF.js?v=abc', root).href);
});

test('characters the URL parser would misread are escaped as a specifier has to write them', () => {
  assert.equal(versionedUrl('50%.js', 'v', root), 'http://localhost:3000/50%25.js?v=v');
  assert.equal(versionedUrl('a#b.js', 'v', root), 'http://localhost:3000/a%23b.js?v=v');
  assert.equal(versionedUrl('why?.js', 'v', root), 'http://localhost:3000/why%3F.js?v=v');
  assert.equal(versionedUrl('c:x.js', 'v', root), 'http://localhost:3000/c:x.js?v=v', 'not a URL scheme');
});

test('a versioned URL lies under the public path, path-only or absolute', () => {
  assert.equal(versionedUrl('js/app.js', 'v1', publicBase('/static', page)), 'http://localhost:3000/static/js/app.js?v=v1');
  assert.equal(versionedUrl('/js/app.js', 'v1', publicBase('/static/', page)), 'http://localhost:3000/static/js/app.js?v=v1');
  assert.equal(versionedUrl('app.js', 'v1', publicBase('http://127.0.0.1:5757/assets', page)), 'http://127.0.0.1:5757/assets/app.js?v=v1');
});

test('a versioned URL maps back to its key', () => {
  for (const key of ['js/app.js', 'a+b.js', 'my dir/ünï.js', '50%.js', 'a#b.js', 'why?.js']) {
    assert.equal(modulePathFromUrl(versionedUrl(key, 'v', publicBase('/static/', page)), '/static/', page), key);
  }
});

test('accept() specifiers resolve against the accepting module\'s URL; bare names name nothing', () => {
  const toKey = (url) => modulePathFromUrl(url, '/static/', page);
  const importer = 'http://localhost:3000/static/js/views/a.js?v=123';
  assert.equal(specifierKey('./b.js', importer, toKey), 'js/views/b.js');
  assert.equal(specifierKey('../util.js', importer, toKey), 'js/util.js');
  assert.equal(specifierKey('/static/lib/c.js', importer, toKey), 'lib/c.js');
  assert.equal(specifierKey('http://localhost:3000/static/d.js', importer, toKey), 'd.js');
  assert.equal(specifierKey('./a+b.js?v=9', importer, toKey), 'js/views/a+b.js');
  assert.equal(specifierKey('react', importer, toKey), null);
  assert.equal(specifierKey('/elsewhere/x.js', importer, toKey), null);
});
