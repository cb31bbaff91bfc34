// Reconnect backoff: 500 ms doubling to a 10 s cap, ±20 % jitter, reset on success.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { backoffDelay, createBackoff } = require('../hmr-client.js');

const middle = () => 0.5;

test('without jitter the delays double from 500 ms and stop at 10 s', () => {
  const backoff = createBackoff(middle);
  const delays = Array.from({ length: 8 }, () => backoff.next());
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
});

test('jitter stays within ±20 % of each step', () => {
  assert.equal(backoffDelay(0, () => 0), 400);
  assert.equal(backoffDelay(0, () => 1), 600);
  assert.equal(backoffDelay(3, () => 0), 3200);
  assert.equal(backoffDelay(20, () => 0), 8000);
  assert.equal(backoffDelay(20, () => 1), 12000);
});

test('the random function is consulted once per delay', () => {
  const draws = [0, 1, 0.25];
  const backoff = createBackoff(() => draws.shift());
  assert.deepEqual([backoff.next(), backoff.next(), backoff.next()], [400, 1200, 1800]);
  assert.equal(draws.length, 0);
});

test('reset starts the sequence again', () => {
  const backoff = createBackoff(middle);
  backoff.next(); backoff.next(); backoff.next();
  backoff.reset();
  assert.equal(backoff.next(), 500);
});
