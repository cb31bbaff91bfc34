// Reading frames off the stream, and the boot placeholder the daemon replaces.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { parseFrame } = require('../hmr-client.js');

const source = fs.readFileSync(path.join(__dirname, '..', 'hmr-client.js'), 'utf8');

test('the heartbeat is recognised and is not JSON', () => {
  assert.equal(parseFrame('💓'), 'heartbeat');
  assert.equal(parseFrame(' 💓 '), 'heartbeat');
});

test('payload frames parse to objects with an action', () => {
  assert.deepEqual(parseFrame('{"action":"building","name":"","trigger":["a.css"]}'),
    { action: 'building', name: '', trigger: ['a.css'] });
  assert.equal(parseFrame('{"action":"custom","x":1}').action, 'custom');
});

test('unreadable or action-less frames are dropped', () => {
  for (const data of ['', 'hello', '{', '42', 'null', '[]', '{"hash":"x"}', '{"action":7}']) {
    assert.equal(parseFrame(data), null, data);
  }
});

test('the boot placeholder occurs exactly once, as a constant initializer', () => {
  const hits = source.split('/*HMR_BOOT*/null').length - 1;
  assert.equal(hits, 1);
  assert.match(source, /const BOOT = \/\*HMR_BOOT\*\/null;/);
});

test('the script still compiles once the daemon stamps a boot object in', () => {
  const boot = { hash: '9f1c2e7a3b5d4c61', modules: { 'css/app.css': '4be1' }, publicPath: '/', path: '/__hmr', name: '' };
  const stamped = source.replace('/*HMR_BOOT*/null', JSON.stringify(boot));
  assert.doesNotThrow(() => new vm.Script(stamped));
  assert.doesNotThrow(() => new vm.Script(source));
});

test('the script is classic: no import or export statements', () => {
  assert.doesNotMatch(source, /^\s*(import|export)\s/m);
});
