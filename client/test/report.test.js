// What a page tells the daemon (report.js): only while the stream is open, hello on
// each (re)connect, each build's outcome timed from its frame, errors without floods,
// and a reload's note that makes the next load of the page take this one's place.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createReporter } = require('../hmr-client.js');

function setup({ stored = {} } = {}) {
  const sent = [];
  const storage = new Map(Object.entries(stored));
  let now = 1000;
  const reporter = createReporter({
    id: 'p1', url: () => 'http://localhost:3000/', name: null, now: () => now,
    send: (json) => sent.push(JSON.parse(json)),
    storage: { getItem: (k) => (storage.has(k) ? storage.get(k) : null), setItem: (k, v) => storage.set(k, v), removeItem: (k) => storage.delete(k) },
  });
  return { reporter, sent, storage, advance: (ms) => { now += ms; } };
}

test('nothing is sent until the stream is open; then hello, and again after each reconnect', () => {
  const { reporter, sent } = setup();
  reporter.shows('a1');
  reporter.outcome('applied', 'a2');
  reporter.pageError(false, 'boom', 'at f');
  assert.deepEqual(sent, [], 'the daemon is not there: nothing is kept but the hello');
  reporter.connected(true);
  assert.deepEqual(sent, [{ page: 'p1', url: 'http://localhost:3000/', type: 'hello', hash: 'a2', name: null }]);
  reporter.connected(true);
  assert.equal(sent.length, 1, 'still open: no second hello');
  reporter.connected(false);
  reporter.connected(true);
  assert.equal(sent.length, 2, 'a daemon that restarted hears the page again');
  reporter.tick();
  assert.equal(sent.length, 3);
});

test('an outcome is timed from its frame and a failure carries its error', () => {
  const { reporter, sent, advance } = setup();
  reporter.connected(true);
  sent.length = 0;
  reporter.arrived();
  advance(8);
  reporter.outcome('applied', 'a2');
  reporter.arrived();
  advance(3);
  reporter.outcome('failed', 'a3', new Error('TypeError: x'));
  assert.deepEqual(sent, [
    { page: 'p1', url: 'http://localhost:3000/', type: 'outcome', outcome: 'applied', hash: 'a2', ms: 8 },
    { page: 'p1', url: 'http://localhost:3000/', type: 'outcome', outcome: 'failed', hash: 'a3', ms: 3, error: 'Error: TypeError: x' },
  ]);
  reporter.tick();
  assert.equal(sent[2].hash, 'a2', 'a failed build is not the one the page shows');
});

test('a reload leaves a note; the next load says it came back in that page\'s place, timed from the frame', () => {
  const first = setup();
  first.reporter.connected(true);
  first.reporter.arrived();
  first.reporter.leaving();
  assert.deepEqual(first.sent.pop(), { page: 'p1', url: 'http://localhost:3000/', type: 'bye', reloading: true });
  first.reporter.gone();
  first.reporter.tick();
  assert.equal(first.sent.length, 1, 'nothing after leaving');
  const note = first.storage.get('hmr-reloaded');
  assert.deepEqual(JSON.parse(note), { previous: 'p1', arrived: 1000 });

  const next = setup({ stored: { 'hmr-reloaded': note } });
  assert.equal(next.storage.size, 0, 'read once');
  next.advance(250);
  next.reporter.shows('a2');
  next.reporter.connected(true);
  assert.deepEqual(next.sent, [
    { page: 'p1', url: 'http://localhost:3000/', type: 'hello', hash: 'a2', name: null, previous: 'p1' },
    { page: 'p1', url: 'http://localhost:3000/', type: 'outcome', outcome: 'reloaded', hash: 'a2', ms: 250 },
  ]);
  next.reporter.connected(false);
  next.reporter.connected(true);
  assert.equal(next.sent[2].previous, undefined, 'said once');
});

test('an old note is not this reload\'s', () => {
  const { reporter, sent, storage } = setup({ stored: { 'hmr-reloaded': JSON.stringify({ previous: 'old', arrived: -60000 }) } });
  reporter.connected(true);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].previous, undefined);
  assert.equal(storage.size, 0);
});

test('errors: repeats and more than five in ten seconds are left out', () => {
  const { reporter, sent, advance } = setup();
  reporter.connected(true);
  sent.length = 0;
  reporter.pageError(false, 'boom', 'at f');
  reporter.pageError(false, 'boom', 'at f');
  for (let i = 0; i < 10; i++) reporter.pageError(true, 'no ' + i, undefined);
  assert.equal(sent.length, 5);
  assert.deepEqual(sent[0], { page: 'p1', url: 'http://localhost:3000/', type: 'error', kind: 'error', message: 'boom', stack: 'at f' });
  assert.equal(sent[1].kind, 'rejection');
  advance(10001);
  reporter.pageError(false, 'boom', 'at f');
  assert.equal(sent.length, 6, 'a new window');
});

test('a page hidden or frozen says bye and hello when shown again', () => {
  const { reporter, sent } = setup();
  reporter.connected(true);
  reporter.gone();
  reporter.gone();
  reporter.tick();
  assert.deepEqual(sent.map((r) => r.type), ['hello', 'bye']);
  reporter.shown();
  assert.deepEqual(sent.map((r) => r.type), ['hello', 'bye', 'hello']);
});

test('an outcome waits for `later`; a hello and an error do not', () => {
  const sent = [];
  const waiting = [];
  const reporter = createReporter({
    id: 'p1', url: () => 'u', name: null, now: () => 0, send: (json) => sent.push(JSON.parse(json).type),
    later: (fn) => waiting.push(fn),
  });
  reporter.connected(true);
  reporter.outcome('applied', 'a2');
  reporter.pageError(false, 'boom', undefined);
  assert.deepEqual(sent, ['hello', 'error']);
  waiting.forEach((fn) => fn());
  assert.deepEqual(sent, ['hello', 'error', 'outcome']);
});
