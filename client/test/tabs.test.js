// The wiring of one stream per browser: the real client in a vm per tab, the tabs
// sharing a fake lock manager and BroadcastChannel that behave as a browser's do
// (grants and messages arrive as later tasks; a closed tab's lock is released). The
// decisions are share.test.js's; this checks that boot.js carries them out.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const source = fs.readFileSync(path.join(__dirname, '..', 'hmr-client.js'), 'utf8');
const PAGE = 'http://localhost:3000/index.html';
const SCRIPT = 'http://127.0.0.1:5757/__hmr/client.js';
const STREAM = 'http://127.0.0.1:5757/__hmr';
const BOOT = { hash: 'h1', modules: { 'app.css': 'a1' }, publicPath: '/', path: '/__hmr', name: '' };

// Lets every grant and message in flight arrive (each hop is a task of its own).
async function settle() {
  for (let hop = 0; hop < 10; hop++) await new Promise((resolve) => setImmediate(resolve));
}

// One browser's locks and channels, as every tab of one origin sees them.
function browserProfile() {
  const channels = new Set();
  const locks = new Map(); // name → { held, queue }
  function lockOf(name) {
    if (!locks.has(name)) locks.set(name, { held: null, queue: [] });
    return locks.get(name);
  }
  function grantNext(name) {
    const lock = lockOf(name);
    if (lock.held || !lock.queue.length) return;
    const request = lock.queue.shift();
    lock.held = request;
    setImmediate(() => {
      Promise.resolve(request.callback({ name })).then(() => release(name, request), () => release(name, request));
    });
  }
  function release(name, request) {
    const lock = lockOf(name);
    if (lock.held !== request) return;
    lock.held = null;
    request.resolve();
    grantNext(name);
  }
  return {
    channels,
    holderOf: (name) => (lockOf(name).held ? lockOf(name).held.tab : null),
    // What a tab's navigator.locks and BroadcastChannel are.
    forTab(tab) {
      const requests = [];
      const locksApi = {
        request(name, options, callback) {
          return new Promise((resolve, reject) => {
            const request = { tab, callback, resolve };
            requests.push([name, request]);
            options.signal.addEventListener('abort', () => {
              const lock = lockOf(name);
              const at = lock.queue.indexOf(request);
              if (at >= 0) { lock.queue.splice(at, 1); reject(new Error('AbortError')); }
            });
            lockOf(name).queue.push(request);
            grantNext(name);
          });
        },
      };
      class Channel {
        constructor(name) { this.name = name; this.tab = tab; channels.add(this); }
        postMessage(data) {
          const copy = structuredClone(data);
          for (const other of channels) {
            if (other !== this && other.name === this.name) setImmediate(() => other.onmessage && channels.has(other) && other.onmessage({ data: copy }));
          }
        }
        close() { channels.delete(this); }
      }
      // The browser lets go of everything a closed tab had.
      function closeTab() {
        for (const channel of [...channels]) if (channel.tab === tab) channels.delete(channel);
        for (const [name, request] of requests) {
          const lock = lockOf(name);
          const at = lock.queue.indexOf(request);
          if (at >= 0) lock.queue.splice(at, 1);
          release(name, request);
        }
      }
      return { locks: locksApi, Channel, closeTab };
    },
  };
}

// `locks`: false for a browser without Web Locks, 'refusing' for an origin that gets none (a file: page).
function openTab(profile, name, query = '', { locks = true } = {}) {
  const browser = profile.forTab(name);
  const streams = [];
  const listeners = { document: {}, window: {} };
  const on = (where) => (type, fn) => { (listeners[where][type] ||= []).push(fn); };
  class FakeEventSource {
    constructor(url) { this.url = url; this.readyState = 0; streams.push(this); }
    close() { this.readyState = 2; }
    open() { this.readyState = 1; this.onopen({}); }
    send(id, payload) { this.onmessage({ data: JSON.stringify(payload), lastEventId: id }); }
  }
  const built = [];
  const heard = [];
  const logs = [];
  const timers = new Map(); // id → { fn, ms }: fired only when a test says so.
  let nextTimer = 1;
  const ctx = {
    console: { log: (...args) => logs.push(args.join(' ')), warn() {}, error: (...args) => { throw new Error('console.error: ' + args.join(' ')); } },
    setTimeout: (fn, ms) => { timers.set(nextTimer, { fn, ms }); return nextTimer++; },
    clearTimeout: (id) => { timers.delete(id); },
    setInterval: () => 0,
    performance: { now: () => 0, getEntriesByName: () => [] },
    URL, URLSearchParams, AbortController,
    location: { href: PAGE, origin: new URL(PAGE).origin, reload() { throw new Error('reloaded'); } },
    document: {
      baseURI: PAGE,
      currentScript: { src: SCRIPT + query },
      querySelectorAll: () => [],
      styleSheets: [],
      documentElement: null,
      addEventListener: on('document'),
    },
    addEventListener: on('window'),
    EventSource: FakeEventSource,
    navigator: locks === 'refusing' ? { locks: { request: () => Promise.reject(Object.assign(new Error('opaque'), { name: 'SecurityError' })) } }
      : locks ? { locks: browser.locks } : {},
    BroadcastChannel: browser.Channel,
  };
  ctx.window = ctx;
  vm.createContext(ctx);
  vm.runInContext(source.replace('/*HMR_BOOT*/null', JSON.stringify(BOOT)), ctx);
  ctx.hmr.on('built', (payload) => built.push(payload.hash));
  for (const action of ['building', 'built']) ctx.hmr.on(action, () => heard.push(action));
  const fire = (where, type, event = {}) => { for (const fn of listeners[where][type] || []) fn({ type, ...event }); };
  return {
    name, streams, built, heard, logs,
    // Fires the timers set for `ms` (the watchdog's are far longer, and never fire here).
    fireTimers(ms) {
      for (const [id, timer] of Array.from(timers)) if (timer.ms === ms) { timers.delete(id); timer.fn(); }
    },
    get stream() { return streams[streams.length - 1]; },
    get role() { return ctx.__hmrClient.role; },
    status: () => ({ ...ctx.hmr.status() }),
    close: browser.closeTab,
    freeze: () => fire('document', 'freeze'),
    resume: () => fire('document', 'resume'),
    pagehide: (persisted) => fire('window', 'pagehide', { persisted }),
    pageshow: (persisted) => fire('window', 'pageshow', { persisted }),
  };
}

const state = (action, hash) => ({ action, name: '', time: 1, hash, modules: { 'app.css': 'a-' + hash }, errors: [], warnings: [], changes: {} });
const openStreams = (tabs) => tabs.flatMap((t) => t.streams.filter((s) => s.readyState !== 2));

test('the first tab holds the one stream, and every tab applies what it hears', async () => {
  const profile = browserProfile();
  const a = openTab(profile, 'a');
  await settle();
  a.stream.open();
  a.stream.send('100', state('sync', 'h1'));
  const b = openTab(profile, 'b');
  const c = openTab(profile, 'c');
  await settle();
  assert.deepEqual([a.role, b.role, c.role], ['holding', 'following', 'following']);
  assert.equal(openStreams([a, b, c]).length, 1);
  assert.equal(a.stream.url, STREAM);
  assert.deepEqual([b.status().connected, c.status().connected], [true, true], 'the holder\'s answer says it is open');
  a.stream.send('101', { action: 'building', name: '', trigger: ['app.css'] });
  a.stream.send('102', state('built', 'h2'));
  await settle();
  for (const tab of [a, b, c]) assert.deepEqual(tab.built, ['h2'], tab.name);
  for (const tab of [a, b, c]) assert.equal(tab.status().hash, 'h2', tab.name);
});

test('when the holder closes, the next tab opens the stream where it left off, and nothing arrives twice', async () => {
  const profile = browserProfile();
  const [a, b, c] = ['a', 'b', 'c'].map((name) => openTab(profile, name));
  await settle();
  a.stream.open();
  a.stream.send('100', state('sync', 'h1'));
  a.stream.send('101', { action: 'building', name: '', trigger: ['app.css'] });
  await settle();
  a.fireTimers(100); // The holder's hold on `building` ends: the others hear of the build.
  await settle();
  a.close();
  await settle();
  assert.equal(b.role, 'holding');
  assert.equal(b.stream.url, STREAM + '?lastEventId=101');
  assert.equal(openStreams([b, c]).length, 1);
  b.stream.open();
  b.stream.send('102', state('built', 'h2'));
  await settle();
  assert.deepEqual(b.built, ['h2']);
  assert.deepEqual(c.built, ['h2']);
  for (const tab of [b, c]) assert.deepEqual(tab.heard, ['building', 'built'], tab.name);
  assert.equal(c.status().connected, true);
});

test('a building the holder still held when it closed is replayed to the next holder, and reaches every tab once', async () => {
  const profile = browserProfile();
  const [a, b, c] = ['a', 'b', 'c'].map((name) => openTab(profile, name));
  await settle();
  a.stream.open();
  a.stream.send('100', state('sync', 'h1'));
  a.stream.send('101', { action: 'building', name: '', trigger: ['app.css'] });
  await settle();
  assert.deepEqual([a.heard, b.heard, c.heard], [['building'], [], []], 'the holder delivers it; the others wait');
  a.close();
  await settle();
  assert.equal(b.stream.url, STREAM + '?lastEventId=100', 'B resumes from the last frame it heard');
  b.stream.open();
  b.stream.send('101', { action: 'building', name: '', trigger: ['app.css'] });
  b.stream.send('102', state('built', 'h2'));
  await settle();
  for (const tab of [b, c]) assert.deepEqual(tab.heard, ['building', 'built'], tab.name);
  assert.deepEqual(c.built, ['h2']);
});

test('every tab logs each build and what it did to its own page', async () => {
  const profile = browserProfile();
  const [a, b] = ['a', 'b'].map((name) => openTab(profile, name));
  await settle();
  a.stream.open();
  a.stream.send('100', state('sync', 'h1'));
  a.stream.send('101', { action: 'building', name: '', trigger: ['app.css'] });
  a.stream.send('102', state('built', 'h2'));
  await settle();
  for (const tab of [a, b]) {
    assert.ok(tab.logs.includes('[hmr] rebuilding… app.css'), tab.logs.join('\n'));
    assert.ok(tab.logs.includes('[hmr] nothing this page uses changed'), tab.logs.join('\n'));
  }
});

test('a quick build reaches the other tabs as building and built together, a slow one as building when the hold ends', async () => {
  const profile = browserProfile();
  const [a, b] = ['a', 'b'].map((name) => openTab(profile, name));
  await settle();
  a.stream.open();
  a.stream.send('100', state('sync', 'h1'));
  a.stream.send('101', { action: 'building', name: '', trigger: ['app.css'] });
  a.stream.send('102', state('built', 'h2'));
  await settle();
  assert.deepEqual(b.heard, ['building', 'built']);
  a.stream.send('103', { action: 'building', name: '', trigger: ['app.css'] });
  await settle();
  assert.deepEqual(b.heard, ['building', 'built']);
  a.fireTimers(100);
  await settle();
  assert.deepEqual(b.heard, ['building', 'built', 'building']);
  a.stream.send('104', state('built', 'h4'));
  await settle();
  assert.deepEqual(b.heard, ['building', 'built', 'building', 'built']);
  assert.deepEqual(b.built, ['h2', 'h4']);
});

test('a frozen holder closes its stream and lets another tab take it; resumed, it follows without a stream', async () => {
  const profile = browserProfile();
  const a = openTab(profile, 'a');
  const b = openTab(profile, 'b');
  await settle();
  a.stream.open();
  a.stream.send('100', state('sync', 'h1'));
  await settle();
  a.freeze();
  assert.equal(a.stream.readyState, 2, 'closed at once');
  await settle();
  assert.equal(b.role, 'holding');
  assert.equal(b.stream.url, STREAM + '?lastEventId=100');
  b.stream.open();
  b.stream.send('101', state('built', 'h2'));
  a.resume();
  await settle();
  assert.equal(a.role, 'following');
  assert.equal(a.streams.length, 1, 'no second stream');
  assert.equal(a.status().hash, 'h2', 'it caught up from the holder\'s answer');
  assert.deepEqual(b.built, ['h2']);
});

test('the back/forward cache counts as a freeze; an ordinary pagehide leaves it to the browser', async () => {
  const profile = browserProfile();
  const a = openTab(profile, 'a');
  const b = openTab(profile, 'b');
  await settle();
  a.pagehide(false);
  assert.equal(a.role, 'holding');
  a.pagehide(true);
  await settle();
  assert.deepEqual([a.role, b.role], ['frozen', 'holding']);
  a.pageshow(true);
  await settle();
  assert.equal(a.role, 'following');
});

test('shared=false, or a browser without Web Locks, gives each page its own stream', async () => {
  const profile = browserProfile();
  const tabs = [openTab(profile, 'a', '?shared=false'), openTab(profile, 'b', '?shared=false'),
    openTab(profile, 'c', '', { locks: false })];
  await settle();
  assert.deepEqual(tabs.map((t) => t.role), ['own', 'own', 'own']);
  assert.equal(openStreams(tabs).length, 3);
  assert.equal(profile.channels.size, 0, 'no channel is opened');
});

test('a page whose origin is refused a lock opens a stream of its own', async () => {
  const profile = browserProfile();
  const tabs = [openTab(profile, 'a', '', { locks: 'refusing' }), openTab(profile, 'b', '', { locks: 'refusing' })];
  await settle();
  assert.deepEqual(tabs.map((t) => t.role), ['own', 'own']);
  assert.equal(openStreams(tabs).length, 2);
  tabs[0].stream.open();
  tabs[0].stream.send('100', state('sync', 'h1'));
  tabs[0].stream.send('101', state('built', 'h2'));
  await settle();
  assert.deepEqual([tabs[0].built, tabs[1].built], [['h2'], []], 'nothing is posted');
});
