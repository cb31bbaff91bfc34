// Module map diffing: what changed between the page's build and a new one.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { diffModules } = require('../hmr-client.js');

test('added, removed and updated paths are found and sorted', () => {
  const before = { 'z.css': '1', 'a.css': '1', 'gone.js': '1', 'b/index.html': '1', 'same.png': '7' };
  const after = { 'z.css': '2', 'a.css': '3', 'new.js': '1', 'b/index.html': '1', 'same.png': '7', 'c.css': '1' };
  assert.deepEqual(diffModules(before, after), {
    added: ['c.css', 'new.js'], removed: ['gone.js'], updated: ['a.css', 'z.css'],
  });
});

test('identical maps differ in nothing', () => {
  const map = { 'a.css': '1', 'b.js': '2' };
  assert.deepEqual(diffModules(map, { ...map }), { added: [], removed: [], updated: [] });
});

test('a missing map counts as empty', () => {
  assert.deepEqual(diffModules(null, { 'a.css': '1' }), { added: ['a.css'], removed: [], updated: [] });
  assert.deepEqual(diffModules({ 'a.css': '1' }, undefined), { added: [], removed: ['a.css'], updated: [] });
});

test('paths named like Object.prototype members are ordinary paths', () => {
  assert.deepEqual(diffModules({}, { constructor: '1', toString: '2' }),
    { added: ['constructor', 'toString'], removed: [], updated: [] });
});
