// Module path <-> URL mapping under each kind of public path.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { moduleUrl, modulePathFromUrl, publicBase, canonicalUrl } = require('../hmr-client.js');

const page = 'http://localhost:3000/blog/post.html?x=1#top';

test('public path "/" maps a module to the page origin root', () => {
  assert.equal(moduleUrl('css/app.css', '/', page), 'http://localhost:3000/css/app.css');
  assert.equal(moduleUrl('index.html', undefined, page), 'http://localhost:3000/index.html');
});

test('a path-only public path resolves against the page origin, not the page path', () => {
  assert.equal(moduleUrl('css/app.css', '/static/', page), 'http://localhost:3000/static/css/app.css');
  assert.equal(moduleUrl('css/app.css', '/static', page), 'http://localhost:3000/static/css/app.css');
});

test('an absolute public path is used as is', () => {
  assert.equal(moduleUrl('css/app.css', 'http://cdn.localhost:8080/assets/', page),
    'http://cdn.localhost:8080/assets/css/app.css');
  assert.equal(publicBase('http://cdn.localhost:8080/assets', page), 'http://cdn.localhost:8080/assets/');
});

test('exactly one slash joins the public path and the module path', () => {
  assert.equal(moduleUrl('/css/app.css', '/static/', page), 'http://localhost:3000/static/css/app.css');
});

test('spaces, unicode and reserved characters are encoded per segment', () => {
  assert.equal(moduleUrl('my css/ünï cödé.css', '/', page),
    'http://localhost:3000/my%20css/%C3%BCn%C3%AF%20c%C3%B6d%C3%A9.css');
  assert.equal(moduleUrl('a#b/c?d.css', '/', page), 'http://localhost:3000/a%23b/c%3Fd.css');
});

test('a URL maps back to its module path, and URLs outside the public path to null', () => {
  assert.equal(modulePathFromUrl('/static/my%20css/%C3%BCn.css?v=2', '/static/', page), 'my css/ün.css');
  assert.equal(modulePathFromUrl('http://cdn.localhost:8080/assets/a.css', 'http://cdn.localhost:8080/assets/', page), 'a.css');
  assert.equal(modulePathFromUrl('/other/a.css', '/static/', page), null);
  assert.equal(modulePathFromUrl('http://elsewhere.localhost/static/a.css', '/static/', page), null);
  assert.equal(modulePathFromUrl('/static/', '/static/', page), null);
});

test('every module path survives the round trip', () => {
  for (const path of ['a.css', 'deep/er/x.js', 'sp ace/ü.css', 'a+b=c&d.css', '100%.css']) {
    for (const pub of ['/', '/static/', 'http://cdn.localhost:8080/assets/']) {
      assert.equal(modulePathFromUrl(moduleUrl(path, pub, page), pub, page), path, `${pub} ${path}`);
    }
  }
});

test('canonical URLs drop query and fragment and agree on segment encoding', () => {
  assert.equal(canonicalUrl('/a+b.css?v=1#x', page), 'http://localhost:3000/a%2Bb.css');
  assert.equal(canonicalUrl('/a%2Bb.css', page), 'http://localhost:3000/a%2Bb.css');
  assert.equal(canonicalUrl('../css/x y.css', page), 'http://localhost:3000/css/x%20y.css');
  assert.equal(canonicalUrl('HTTP://LOCALHOST:3000/a.css', page), 'http://localhost:3000/a.css');
  assert.equal(canonicalUrl('http://[', page), null);
});

test('the page\'s own HTML: index.html for a folder, three spellings for a bare name', () => {
  const { pagePaths } = require('../hmr-client.js');
  assert.deepEqual(pagePaths('http://localhost:3000/', '/'), ['index.html']);
  assert.deepEqual(pagePaths('http://localhost:3000/docs/?x=1#top', '/'), ['docs/index.html']);
  assert.deepEqual(pagePaths('http://localhost:3000/docs/intro', '/'), ['docs/intro', 'docs/intro.html', 'docs/intro/index.html']);
  assert.deepEqual(pagePaths('http://localhost:3000/about.html', '/'), ['about.html', 'about.html.html', 'about.html/index.html']);
  assert.deepEqual(pagePaths('http://localhost:3000/app/page.html', '/app/'), ['page.html', 'page.html.html', 'page.html/index.html']);
  assert.deepEqual(pagePaths('http://localhost:3000/other/', '/app/'), []);
  assert.deepEqual(pagePaths('http://localhost:3000/', 'http://cdn.example/'), []);
});

test('hmr.accept takes a module path in any spelling, or a full URL such as import.meta.url', () => {
  const { acceptedPath } = require('../hmr-client.js');
  const page = 'http://localhost:3000/index.html';
  for (const spec of ['js/app.js', './js/app.js', '/js/app.js', 'js/app.js?v=2', 'http://localhost:3000/js/app.js?hmr=abc']) {
    assert.equal(acceptedPath(spec, '/', page), 'js/app.js', spec);
  }
  assert.equal(acceptedPath('http://localhost:3000/static/js/app.js', '/static/', page), 'js/app.js');
  assert.equal(acceptedPath('http://elsewhere.example/js/app.js', '/', page), null);
  assert.equal(acceptedPath('', '/', page), null);
  assert.equal(acceptedPath(undefined, '/', page), null);
});

test('memoizePaths resolves each full URL once, and a relative one against the page\'s URL of the moment', () => {
  const { memoizePaths } = require('../hmr-client.js');
  const asked = [];
  let page = 'http://localhost:3000/a/b.html';
  const pathOf = memoizePaths((url, pageUrl) => { asked.push(url); return modulePathFromUrl(url, '/', pageUrl); }, () => page);
  assert.equal(pathOf('http://localhost:3000/x.js?v=1'), 'x.js');
  assert.equal(pathOf(new URL('http://localhost:3000/x.js?v=1')), 'x.js');
  assert.equal(pathOf('http://elsewhere.localhost/x.js'), null);
  assert.equal(pathOf('http://elsewhere.localhost/x.js'), null);
  assert.deepEqual(asked, ['http://localhost:3000/x.js?v=1', 'http://elsewhere.localhost/x.js']);
  assert.equal(pathOf('c.js'), 'a/c.js');
  page = 'http://localhost:3000/d/e.html'; // After history.pushState the same relative URL names another module.
  assert.equal(pathOf('c.js'), 'd/c.js');
  assert.equal(pathOf('http://localhost:3000/x.js?v=1'), 'x.js');
  assert.equal(asked.length, 4);
});
