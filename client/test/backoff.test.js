// Reconnect backoff delays: 500 ms doubling to a 10 s cap, ±20 % jitter. How the
// connection walks through them (and starts over) is in connection.test.js.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { backoffDelay } = require('../hmr-client.js');

const middle = () => 0.5;

test('without jitter the delays double from 500 ms and stop at 10 s', () => {
  const delays = Array.from({ length: 8 }, (_, attempt) => backoffDelay(attempt, middle));
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
});

test('jitter stays within ±20 % of each step', () => {
  assert.equal(backoffDelay(0, () => 0), 400);
  assert.equal(backoffDelay(0, () => 1), 600);
  assert.equal(backoffDelay(3, () => 0), 3200);
  assert.equal(backoffDelay(20, () => 0), 8000);
  assert.equal(backoffDelay(20, () => 1), 12000);
});
