// Rewriting the URLs inside CSS values and srcset attributes, for image swaps.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { rewriteCssUrls, rewriteSrcset } = require('../hmr-client.js');

const bust = (target) => (url) => (url === target ? url + '?hmr=h2' : null);

test('bare, single- and double-quoted url() values are rewritten and quoted', () => {
  for (const value of ['url(img/a.png)', "url('img/a.png')", 'url("img/a.png")', 'url(  img/a.png  )']) {
    assert.equal(rewriteCssUrls(value, bust('img/a.png')), 'url("img/a.png?hmr=h2")', value);
  }
});

test('only matching urls change; the rest of the value is kept as written', () => {
  assert.equal(rewriteCssUrls('url(a.png), linear-gradient(red, blue), URL("b.png") no-repeat', bust('b.png')),
    'url(a.png), linear-gradient(red, blue), url("b.png?hmr=h2") no-repeat');
});

test('escapes in quoted urls are read, and quotes in the new url are escaped', () => {
  assert.equal(rewriteCssUrls('url("a\\"b.png")', (url) => (url === 'a"b.png' ? 'x"y\\z' : null)), 'url("x\\"y\\\\z")');
});

test('a value without url() is returned unchanged', () => {
  assert.equal(rewriteCssUrls('red', () => 'x'), 'red');
  assert.equal(rewriteCssUrls('url()', () => 'x'), 'url()');
});

test('srcset candidates keep their descriptors; only matching urls change', () => {
  assert.equal(rewriteSrcset('a.png 1x, b.png 2x', bust('b.png')), 'a.png 1x, b.png?hmr=h2 2x');
  assert.equal(rewriteSrcset('a.png 480w,b.png 800w', bust('a.png')), 'a.png?hmr=h2 480w, b.png 800w');
});

test('a srcset with nothing to replace is returned exactly as written', () => {
  const text = ' a.png  1x ,b.png 2x ';
  assert.equal(rewriteSrcset(text, () => null), text);
});

test('a srcset url may contain commas; a trailing comma ends a candidate without descriptor', () => {
  const seen = [];
  rewriteSrcset('img.php?w=1,2 1x, c.png, d.png 2x', (url) => { seen.push(url); return null; });
  assert.deepEqual(seen, ['img.php?w=1,2', 'c.png', 'd.png']);
});

test('a single url without descriptor', () => {
  assert.equal(rewriteSrcset('a.png', bust('a.png')), 'a.png?hmr=h2');
});
