// In-place HTML updates, the pure parts: when the page's HTML alone is to blame,
// which URL asks for the build's copy, which live URLs stand for the new ones, and
// what in a new copy of the page rules a patch out.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { pageHtmlOnly, pageHtmlUrl, withoutBust, keepsBustedUrl, whyNotPatchable, planUpdate } = require('../hmr-client.js');

const page = ['docs', 'docs.html', 'docs/index.html'];
const plan = (updated, uses = []) => planUpdate({ added: [], removed: [], updated },
  { page: new Set(page), css: new Set(['app.css']), uses: new Set(uses) });

test('the page\'s own HTML alone is patched in place', () => {
  assert.equal(pageHtmlOnly(plan(['docs.html']), page), true);
  assert.equal(pageHtmlOnly(plan(['docs.html', 'app.css']), page), true, 'a stylesheet is swapped beside it');
});

test('anything else that needs a reload, beside the HTML or alone, still reloads', () => {
  assert.equal(pageHtmlOnly(plan(['docs.html', 'js/util.js'], ['js/util.js']), page), false);
  assert.equal(pageHtmlOnly(plan(['js/util.js'], ['js/util.js']), page), false);
  assert.equal(pageHtmlOnly(plan(['app.css']), page), false, 'no reload at all');
  assert.equal(pageHtmlOnly(plan(['docs.html']), []), false);
});

test('the build\'s copy of the page is asked for at the page\'s URL with ?hmr=<hash>, without its fragment', () => {
  assert.equal(pageHtmlUrl('http://localhost:5757/docs/', 'abc'), 'http://localhost:5757/docs/?hmr=abc');
  assert.equal(pageHtmlUrl('http://localhost:5757/docs?tab=2#intro', 'abc'), 'http://localhost:5757/docs?tab=2&hmr=abc');
  assert.equal(pageHtmlUrl('http://localhost:5757/?hmr=old', 'new'), 'http://localhost:5757/?hmr=new');
});

test('withoutBust drops only the hmr parameter and resolves the URL', () => {
  const base = 'http://localhost:5757/docs/index.html';
  assert.equal(withoutBust('a.png?hmr=h2', base), 'http://localhost:5757/docs/a.png');
  assert.equal(withoutBust('/a.png?v=1&hmr=h2', base), 'http://localhost:5757/a.png?v=1');
  assert.equal(withoutBust('a.png?v=1', base), 'http://localhost:5757/docs/a.png?v=1');
  assert.equal(withoutBust('http://[bad', base), 'http://[bad');
});

test('a swapped URL (?hmr=) in src, href, srcset or style stands for the same URL in the new HTML', () => {
  const base = 'http://localhost:5757/';
  assert.ok(keepsBustedUrl('src', 'http://localhost:5757/img/a.png?hmr=h2', 'img/a.png', base));
  assert.ok(keepsBustedUrl('href', 'http://localhost:5757/app.css?v=3&hmr=h2', '/app.css?v=3', base));
  assert.ok(keepsBustedUrl('srcset', 'http://localhost:5757/a.png?hmr=h2 1x, b.png 2x', 'a.png 1x, b.png 2x', base));
  assert.ok(keepsBustedUrl('style', 'background: url("http://localhost:5757/bg.png?hmr=h2")', 'background: url(bg.png)', base));
});

test('a URL the new HTML changed, or a value never swapped, is not kept', () => {
  const base = 'http://localhost:5757/';
  assert.ok(!keepsBustedUrl('src', 'http://localhost:5757/img/a.png?hmr=h2', 'img/b.png', base));
  assert.ok(!keepsBustedUrl('href', 'http://localhost:5757/app.css?v=3&hmr=h2', '/app.css?v=4', base));
  assert.ok(!keepsBustedUrl('src', 'img/a.png', 'img/b.png', base));
  assert.ok(!keepsBustedUrl('title', 'x?hmr=1', 'x', base), 'only URL attributes');
});

const facts = (overrides = {}) => ({
  body: 'BODY', mode: 'CSS1Compat', base: [], meta: [['utf-8', '', null]], scripts: ['["",null,"","go()"]'], ...overrides,
});

test('the same scripts, base, charset and mode: the page can be patched', () => {
  assert.equal(whyNotPatchable(facts(), facts()), null);
});

test('a changed script, <base>, http-equiv, charset or rendering mode rules a patch out, saying which', () => {
  const cases = [
    [{ scripts: ['["",null,"","stop()"]'] }, /scripts changed/],
    [{ scripts: [] }, /scripts changed/],
    [{ base: [['/sub/', null]] }, /<base> changed/],
    [{ meta: [['utf-8', '', null], [null, 'refresh', '5']] }, /http-equiv/],
    [{ meta: [['iso-8859-1', '', null]] }, /charset/],
    [{ mode: 'BackCompat' }, /doctype/],
    [{ body: 'FRAMESET' }, /<body>/],
  ];
  for (const [change, why] of cases) assert.match(whyNotPatchable(facts(), facts(change)), why, JSON.stringify(change));
  assert.match(whyNotPatchable(facts({ body: null }), facts()), /<body>/);
});
