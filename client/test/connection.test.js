// The connection's state machine, fed events with plain numbers for the time: no
// EventSource, no timers. Reconnecting with backoff, the watchdog, the browser
// giving up on a stream, and transitions that cannot happen.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createConnection } = require('../hmr-client.js');

const URL = 'http://127.0.0.1:5757/__hmr';
const TIMEOUT = 1000;

// `draws`: the random numbers the backoff gets, each used once; without them, 0.5 (no jitter).
function connection({ draws } = {}) {
  const random = draws ? () => { assert.ok(draws.length > 0, 'a random draw too many'); return draws.shift(); } : () => 0.5;
  return createConnection({ url: URL, timeout: TIMEOUT, random });
}

// A connection whose first stream opened at `now`.
function opened(now = 0) {
  const c = connection();
  c.handle({ type: 'start' }, now);
  c.handle({ type: 'opened', stream: 1 }, now);
  return c;
}

const reopenDelay = (actions, now) => actions.find((a) => a.do === 'setTimer' && a.fires === 'reopenTimerFired').at - now;

test('start opens the first stream and sets the watchdog', () => {
  const c = connection();
  assert.deepEqual(c.handle({ type: 'start' }, 100), [
    { do: 'open', stream: 1, url: URL },
    { do: 'setTimer', fires: 'watchdogFired', at: 1100 },
  ]);
  assert.deepEqual(c.state, { name: 'connecting', stream: 1, retries: 0, watchdogAt: 1100 });
});

test('an opened stream marks the page connected and says where', () => {
  const c = connection();
  c.handle({ type: 'start' }, 0);
  assert.deepEqual(c.handle({ type: 'opened', stream: 1 }, 40), [
    { do: 'connected', value: true },
    { do: 'log', args: ['connected to', URL] },
    { do: 'setTimer', fires: 'watchdogFired', at: 1040 },
  ]);
  assert.deepEqual(c.state, { name: 'open', stream: 1, watchdogAt: 1040 });
});

test('a payload sets the watchdog again and is delivered parsed, with its frame id', () => {
  const c = opened();
  const data = '{"action":"built","name":"","hash":"h2"}';
  assert.deepEqual(c.handle({ type: 'message', stream: 1, data, id: '1700000000000042' }, 300), [
    { do: 'setTimer', fires: 'watchdogFired', at: 1300 },
    { do: 'deliver', id: '1700000000000042', payload: { action: 'built', name: '', hash: 'h2' } },
  ]);
  assert.equal(c.state.watchdogAt, 1300);
});

test('a message before the open is announced is still delivered, and the page is not yet connected', () => {
  const c = connection();
  c.handle({ type: 'start' }, 0);
  assert.deepEqual(c.handle({ type: 'message', stream: 1, data: '{"action":"sync","name":""}' }, 10), [
    { do: 'setTimer', fires: 'watchdogFired', at: 1010 },
    { do: 'deliver', id: '', payload: { action: 'sync', name: '' } },
  ]);
  assert.deepEqual(c.state, { name: 'connecting', stream: 1, retries: 0, watchdogAt: 1010 });
});

test('heartbeats and unreadable frames deliver nothing but keep the stream alive', () => {
  const c = opened();
  assert.deepEqual(c.handle({ type: 'message', stream: 1, data: '💓' }, 200),
    [{ do: 'setTimer', fires: 'watchdogFired', at: 1200 }]);
  assert.deepEqual(c.handle({ type: 'message', stream: 1, data: 'not json' }, 500),
    [{ do: 'setTimer', fires: 'watchdogFired', at: 1500 }]);
  assert.equal(c.state.watchdogAt, 1500);
});

test('a watchdog that fires early (a timer rounded down) is set again for the rest', () => {
  const c = opened();
  assert.deepEqual(c.handle({ type: 'watchdogFired' }, 999.5), [{ do: 'setTimer', fires: 'watchdogFired', at: 1000 }]);
  assert.equal(c.state.name, 'open');
});

test('silence for the timeout closes the stream and opens another after the first backoff delay', () => {
  const c = opened();
  c.handle({ type: 'message', stream: 1, data: '💓' }, 800);
  assert.deepEqual(c.handle({ type: 'watchdogFired' }, 1800), [
    { do: 'log', args: ['nothing heard for', TIMEOUT, 'ms; reconnecting'] },
    { do: 'connected', value: false },
    { do: 'close', stream: 1 },
    { do: 'setTimer', fires: 'reopenTimerFired', at: 2300 },
  ]);
  assert.deepEqual(c.state, { name: 'waiting', retries: 1, reopenAt: 2300 });
  assert.deepEqual(c.handle({ type: 'reopenTimerFired' }, 2300), [
    { do: 'open', stream: 2, url: URL },
    { do: 'setTimer', fires: 'watchdogFired', at: 3300 },
  ]);
});

test('a stream that never opens is given up on by the watchdog quietly, and the delays grow', () => {
  const c = connection();
  c.handle({ type: 'start' }, 0);
  assert.deepEqual(c.handle({ type: 'watchdogFired' }, 1000), [
    { do: 'close', stream: 1 },
    { do: 'setTimer', fires: 'reopenTimerFired', at: 1500 },
  ]);
  c.handle({ type: 'reopenTimerFired' }, 1500);
  assert.equal(reopenDelay(c.handle({ type: 'watchdogFired' }, 2500), 2500), 1000);
});

test('a network error leaves the browser retrying: disconnected, nothing closed, the watchdog still set', () => {
  const c = opened();
  c.handle({ type: 'message', stream: 1, data: '💓' }, 50);
  assert.deepEqual(c.handle({ type: 'error', stream: 1, closed: false }, 100), [
    { do: 'log', args: ['disconnected; retrying'] },
    { do: 'connected', value: false },
  ]);
  assert.deepEqual(c.state, { name: 'connecting', stream: 1, retries: 0, watchdogAt: 1050 });
  assert.deepEqual(c.handle({ type: 'error', stream: 1, closed: false }, 600), [], 'said once');
  assert.deepEqual(c.handle({ type: 'opened', stream: 1 }, 700), [
    { do: 'connected', value: true },
    { do: 'log', args: ['connected to', URL] },
    { do: 'setTimer', fires: 'watchdogFired', at: 1700 },
  ], 'the browser got it back');
});

test('a browser that retries for longer than the timeout is stopped by the watchdog', () => {
  const c = opened();
  c.handle({ type: 'error', stream: 1, closed: false }, 100);
  assert.deepEqual(c.handle({ type: 'watchdogFired' }, 1000), [
    { do: 'close', stream: 1 },
    { do: 'setTimer', fires: 'reopenTimerFired', at: 1500 },
  ]);
});

test('a stream the browser gave up on (readyState CLOSED) is reopened with growing backoff up to the cap', () => {
  const c = connection();
  let now = 0;
  c.handle({ type: 'start' }, now);
  const delays = [];
  for (let stream = 1; stream <= 7; stream++) {
    const actions = c.handle({ type: 'error', stream, closed: true }, now);
    assert.deepEqual(actions.slice(0, 2), [{ do: 'clearTimer', fires: 'watchdogFired' }, { do: 'close', stream }]);
    delays.push(reopenDelay(actions, now));
    now += delays[delays.length - 1];
    assert.deepEqual(c.handle({ type: 'reopenTimerFired' }, now)[0], { do: 'open', stream: stream + 1, url: URL });
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 10000, 10000]);
});

test('a stream given up on while open says so once, then closes and waits', () => {
  const c = opened();
  assert.deepEqual(c.handle({ type: 'error', stream: 1, closed: true }, 100), [
    { do: 'log', args: ['disconnected; retrying'] },
    { do: 'connected', value: false },
    { do: 'clearTimer', fires: 'watchdogFired' },
    { do: 'close', stream: 1 },
    { do: 'setTimer', fires: 'reopenTimerFired', at: 600 },
  ]);
});

test('a stream that opens starts the backoff over', () => {
  const c = connection();
  c.handle({ type: 'start' }, 0);
  c.handle({ type: 'error', stream: 1, closed: true }, 0);
  c.handle({ type: 'reopenTimerFired' }, 500);
  assert.equal(reopenDelay(c.handle({ type: 'error', stream: 2, closed: true }, 500), 500), 1000);
  c.handle({ type: 'reopenTimerFired' }, 1500);
  c.handle({ type: 'opened', stream: 3 }, 1600);
  assert.equal(reopenDelay(c.handle({ type: 'error', stream: 3, closed: true }, 1700), 1700), 500);
});

test('the random function is consulted once per delay', () => {
  const draws = [0, 1, 0.25];
  const c = connection({ draws });
  c.handle({ type: 'start' }, 0);
  const delays = [];
  for (let stream = 1; stream <= 3; stream++) {
    delays.push(reopenDelay(c.handle({ type: 'error', stream, closed: true }, 0), 0));
    c.handle({ type: 'reopenTimerFired' }, 0);
  }
  assert.deepEqual(delays, [400, 1200, 1800]);
  assert.equal(draws.length, 0);
});

test('late events from a stream already closed change nothing', () => {
  const c = opened();
  c.handle({ type: 'error', stream: 1, closed: true }, 0);
  for (const event of [{ type: 'opened', stream: 1 }, { type: 'message', stream: 1, data: '{"action":"x"}' },
    { type: 'error', stream: 1, closed: true }]) {
    assert.deepEqual(c.handle(event, 100), [], event.type);
  }
  c.handle({ type: 'reopenTimerFired' }, 500);
  assert.deepEqual(c.handle({ type: 'message', stream: 1, data: '{"action":"x"}' }, 600), []);
  assert.deepEqual(c.state, { name: 'connecting', stream: 2, retries: 1, watchdogAt: 1500 });
});

test('an impossible transition throws and leaves the state as it was', () => {
  const cases = [
    ['started twice', (c) => c.handle({ type: 'start' }, 0), opened],
    ['opened twice', (c) => c.handle({ type: 'opened', stream: 1 }, 0), opened],
    ['the watchdog while waiting to reopen', (c) => c.handle({ type: 'watchdogFired' }, 0),
      () => { const c = opened(); c.handle({ type: 'error', stream: 1, closed: true }, 0); return c; }],
    ['the reopen timer with a stream', (c) => c.handle({ type: 'reopenTimerFired' }, 0), opened],
    ['the watchdog before start', (c) => c.handle({ type: 'watchdogFired' }, 0), connection],
    ['an event from a stream never opened', (c) => c.handle({ type: 'opened', stream: 2 }, 0), opened],
    ['an unknown event', (c) => c.handle({ type: 'reopen' }, 0), opened],
  ];
  for (const [what, act, make] of cases) {
    const c = make();
    const before = c.state;
    assert.throws(() => act(c), /^Error: hmr: connection bug: /, what);
    assert.equal(c.state, before, what);
  }
});
