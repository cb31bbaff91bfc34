// Option parsing: the script URL's query string becomes the client's options.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseOptions, locateDaemon } = require('../hmr-client.js');

test('no query string gives the documented defaults', () => {
  assert.deepEqual(parseOptions(''),
    { reload: true, overlay: true, log: true, name: null, timeout: 25000, html: 'morph', shared: true, report: true, sync: true });
});

test('shared=false gives the page a stream of its own; anything else shares its browser\'s', () => {
  for (const word of ['false', '0', 'no', 'off', 'OFF']) assert.equal(parseOptions('?shared=' + word).shared, false, word);
  for (const query of ['', '?shared', '?shared=true', '?shared=1', '?shared=', '?reload=false']) {
    assert.equal(parseOptions(query).shared, true, query);
  }
});

test('false, 0, no and off turn a boolean off, in any case', () => {
  for (const word of ['false', '0', 'no', 'off', 'FALSE', 'No']) {
    const o = parseOptions(`?reload=${word}&overlay=${word}&log=${word}`);
    assert.deepEqual([o.reload, o.overlay, o.log], [false, false, false], word);
  }
});

test('true, 1, yes and a bare flag keep a boolean on', () => {
  for (const query of ['reload=true', 'reload=1', 'reload=yes', 'reload', 'reload=']) {
    assert.equal(parseOptions(query).reload, true, query);
  }
});

test('name and timeout are read; a bad timeout falls back to the default', () => {
  assert.equal(parseOptions('?name=app').name, 'app');
  assert.equal(parseOptions('?name=').name, '');
  assert.equal(parseOptions('?timeout=5000').timeout, 5000);
  for (const bad of ['0', '-3', 'soon', '']) assert.equal(parseOptions('?timeout=' + bad).timeout, 25000, bad);
});

test('html=reload keeps plain reloads for the page\'s own HTML; anything else patches it in place', () => {
  for (const query of ['?html=reload', '?html=RELOAD', '?html= reload ']) assert.equal(parseOptions(query).html, 'reload', query);
  for (const query of ['', '?html=morph', '?html=', '?html=false', '?html']) assert.equal(parseOptions(query).html, 'morph', query);
});

test('the watchdog defaults to 2.5 heartbeats when the daemon said its heartbeat', () => {
  assert.equal(parseOptions('', 10000).timeout, 25000);
  assert.equal(parseOptions('', 2000).timeout, 5000);
  assert.equal(parseOptions('?timeout=700', 2000).timeout, 700);
  for (const unknown of [undefined, 0, -1, NaN]) assert.equal(parseOptions('', unknown).timeout, 25000, String(unknown));
});

test('the stream URL is the script URL without /client.js, query and fragment', () => {
  assert.deepEqual(locateDaemon('http://127.0.0.1:5757/__hmr/client.js'),
    { streamUrl: 'http://127.0.0.1:5757/__hmr', query: '' });
  assert.deepEqual(locateDaemon('http://127.0.0.1:5757/dev/hmr/client.js?reload=false#x'),
    { streamUrl: 'http://127.0.0.1:5757/dev/hmr', query: '?reload=false' });
  assert.deepEqual(locateDaemon('http://localhost:9000/client.js'),
    { streamUrl: 'http://localhost:9000', query: '' });
});
