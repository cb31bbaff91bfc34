// Ghost sync's rules in the page (ghost.js): scroll positions as shares, the path of
// another page of the site, what a page posts and what it does with the others'
// actions (its own ignored, a mirrored action never posted back, a load that followed
// another page saying nothing). Its behaviour between real browsers: test_chromium_sync.py.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { scrollShare, sitePath, createGhost } = require('../hmr-client.js');

test('a scroll position is a share of how far the page can scroll', () => {
  assert.equal(scrollShare(500, 2000, 1000), 0.5);
  assert.equal(scrollShare(0, 2000, 1000), 0);
  assert.equal(scrollShare(1200, 2000, 1000), 1, 'overscroll is clamped');
  assert.equal(scrollShare(10, 800, 1000), 0, 'a page that cannot scroll');
});

test('another page of the site is its path, query and fragment', () => {
  assert.equal(sitePath('http://127.0.0.1:5757/docs/a.html?x=1#top'), '/docs/a.html?x=1#top');
  assert.equal(sitePath('http://127.0.0.1:5757/'), '/');
});

function page(href = 'http://127.0.0.1:5757/') {
  const sent = [];
  const stored = new Map();
  const elements = {};
  const env = {
    location: { href, assign(to) { env.assigned.push(to); } },
    assigned: [],
    scrolled: [],
    window: { scrollX: 0, scrollY: 0, innerWidth: 1000, innerHeight: 1000, scrollTo(x, y) { env.scrolled.push([x, y]); } },
    document: { scrollingElement: { scrollWidth: 1000, scrollHeight: 3000 }, querySelector: (s) => elements[s] || null },
    Event: class { constructor(type) { this.type = type; } },
  };
  const saved = {};
  for (const name of ['location', 'window', 'document', 'Event']) { saved[name] = globalThis[name]; globalThis[name] = env[name]; }
  env.restore = () => { for (const name of Object.keys(saved)) globalThis[name] = saved[name]; };
  env.ghost = (navigationType = 'navigate', note = null) => {
    if (note) stored.set('hmr-ghost-navigated', note);
    return createGhost({
      pageId: 'me', send: (json) => sent.push(JSON.parse(json)), now: () => 0, navigationType,
      storage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => stored.set(k, v), removeItem: (k) => stored.delete(k) },
    });
  };
  env.sent = sent;
  env.stored = stored;
  env.elements = elements;
  return env;
}

test('a page the user opened says where it is once its stream opens; a reload or a followed load does not', (t) => {
  const env = page('http://127.0.0.1:5757/about.html');
  t.after(env.restore);
  const opened = env.ghost('navigate');
  assert.deepEqual(env.sent, [], 'nothing before the stream is open');
  opened.connected(true);
  opened.connected(false);
  opened.connected(true);
  assert.deepEqual(env.sent, [{ page: 'me', url: 'http://127.0.0.1:5757/about.html', kind: 'navigate', to: '/about.html' }]);
  env.sent.length = 0;
  env.ghost('reload').connected(true);
  env.ghost('navigate', '/about.html').connected(true);
  assert.deepEqual(env.sent, []);
  assert.equal(env.stored.size, 0, 'the note is read once');
});

test('the others\' actions are done here, its own and unknown elements left alone', (t) => {
  const env = page('http://127.0.0.1:5757/');
  t.after(env.restore);
  const ghost = env.ghost();
  const clicks = [];
  const fired = [];
  env.elements['#go'] = { click: () => clicks.push('go') };
  env.elements['#name'] = { value: '', dispatchEvent: (e) => fired.push(e.type) };
  ghost.apply({ action: 'ghost', from: 'me', kind: 'click', target: '#go' });
  ghost.apply({ action: 'ghost', from: 'other', kind: 'click', target: '#gone' });
  ghost.apply({ action: 'ghost', from: 'other', kind: 'click', target: '#go' });
  ghost.apply({ action: 'ghost', from: 'other', kind: 'input', target: '#name', value: 'Ada' });
  ghost.apply({ action: 'ghost', from: 'other', kind: 'scroll', x: 0, y: 0.5 });
  ghost.apply({ action: 'ghost', from: 'other', kind: 'navigate', to: '/' });
  ghost.apply({ action: 'ghost', from: 'other', kind: 'navigate', to: '//evil.example/' });
  ghost.apply({ action: 'ghost', from: 'other', kind: 'navigate', to: '/next.html' });
  assert.deepEqual(clicks, ['go']);
  assert.equal(env.elements['#name'].value, 'Ada');
  assert.deepEqual(fired, ['input', 'change']);
  assert.deepEqual(env.scrolled, [[0, 1000]]);
  assert.deepEqual(env.assigned, ['/next.html'], 'not the page it is on, not another site');
  assert.equal(env.stored.get('hmr-ghost-navigated'), '/next.html');
});
