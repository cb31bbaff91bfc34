// Which <link> elements are stylesheets, and how a swap's cache-busting URL is built.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { stylesheetKey, moduleUrl, cacheBustUrl } = require('../hmr-client.js');

const page = 'http://localhost:3000/docs/index.html';

test('a stylesheet link matches its module whatever query or fragment it carries', () => {
  const url = moduleUrl('css/app.css', '/', page);
  for (const href of ['/css/app.css', '/css/app.css?v=3', '/css/app.css?hmr=old#x', '../css/app.css',
    'http://localhost:3000/css/app.css']) {
    assert.equal(stylesheetKey({ rel: 'stylesheet', href }, page), url, href);
  }
});

test('hrefs with spaces or unicode match however the page spelled them', () => {
  const url = moduleUrl('css/my style ü.css', '/', page);
  for (const href of ['/css/my style ü.css', '/css/my%20style%20%C3%BC.css', '/css/my%20style ü.css?x']) {
    assert.equal(stylesheetKey({ rel: 'stylesheet', href }, page), url, href);
  }
});

test('rel is a token list, case-insensitive; other links are not stylesheets', () => {
  assert.ok(stylesheetKey({ rel: 'alternate Stylesheet', href: '/a.css' }, page));
  assert.equal(stylesheetKey({ rel: 'preload', href: '/a.css' }, page), null);
  assert.equal(stylesheetKey({ rel: 'icon', href: '/a.png' }, page), null);
  assert.equal(stylesheetKey({ rel: 'stylesheet', href: '' }, page), null);
  assert.equal(stylesheetKey({ href: '/a.css' }, page), null);
});

test('a link to another origin does not match a same-path module', () => {
  assert.notEqual(stylesheetKey({ rel: 'stylesheet', href: 'http://cdn.localhost/css/app.css' }, page),
    moduleUrl('css/app.css', '/', page));
});

test('cache busting adds hmr=<hash> and keeps other params as written', () => {
  assert.equal(cacheBustUrl('/css/app.css', 'abc', page), 'http://localhost:3000/css/app.css?hmr=abc');
  assert.equal(cacheBustUrl('/css/app.css?v=1&theme=a%20b', 'abc', page),
    'http://localhost:3000/css/app.css?v=1&theme=a%20b&hmr=abc');
  assert.equal(cacheBustUrl('/css/app.css?flag', 'abc', page), 'http://localhost:3000/css/app.css?flag&hmr=abc');
});

test('cache busting replaces an earlier hmr param instead of piling them up', () => {
  assert.equal(cacheBustUrl('/css/app.css?hmr=old&v=1&hmr=older', 'new', page),
    'http://localhost:3000/css/app.css?v=1&hmr=new');
  assert.equal(cacheBustUrl(cacheBustUrl('/a.css?v=1', 'one', page), 'two', page),
    'http://localhost:3000/a.css?v=1&hmr=two');
});

test('cache busting keeps the fragment', () => {
  assert.equal(cacheBustUrl('/a.css?v=1#frag', 'h', page), 'http://localhost:3000/a.css?v=1&hmr=h#frag');
});
