// Deciding what a change set means for a page: swap, re-import, reload or nothing,
// from what the page uses.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { planUpdate, diffModules } = require('../hmr-client.js');

const changes = (added, updated, removed = []) => ({ added, updated, removed });
const usage = ({ page = ['index.html'], accepted = [], css = [], images = [], uses = [] } = {}) => ({
  page: new Set(page), accepted: new Set(accepted), css: new Set(css), images: new Set(images), uses: new Set(uses),
});
const empty = { css: [], images: [], modules: [], reload: false, reloadFor: [] };

test('changed stylesheets the page links or imports are swapped, sorted, without a reload', () => {
  assert.deepEqual(planUpdate(changes(['css/b.css'], ['css/a.css']), usage({ css: ['css/a.css', 'css/b.css'] })),
    { ...empty, css: ['css/a.css', 'css/b.css'] });
});

test('changed images the page shows are swapped', () => {
  assert.deepEqual(planUpdate(changes([], ['img/a.png', 'img/b.svg']), usage({ images: ['img/a.png', 'img/b.svg'] })),
    { ...empty, images: ['img/a.png', 'img/b.svg'] });
});

test('a module with an accept handler is re-imported, even though the page also loaded it', () => {
  assert.deepEqual(planUpdate(changes([], ['js/app.js']), usage({ accepted: ['js/app.js'], uses: ['js/app.js'] })),
    { ...empty, modules: ['js/app.js'] });
});

test('the page\'s own HTML reloads it, whatever else changed', () => {
  const plan = planUpdate(changes([], ['css/a.css', 'index.html']), usage({ css: ['css/a.css'] }));
  assert.deepEqual(plan, { ...empty, css: ['css/a.css'], reload: true, reloadFor: ['index.html'] });
});

test('a script the page loaded without a handler reloads it', () => {
  assert.deepEqual(planUpdate(changes([], ['js/util.js']), usage({ accepted: ['js/app.js'], uses: ['js/util.js'] })),
    { ...empty, reload: true, reloadFor: ['js/util.js'] });
});

test('any other resource the page fetched reloads it', () => {
  assert.deepEqual(planUpdate(changes([], ['data/menu.json', 'fonts/a.woff2']), usage({ uses: ['data/menu.json', 'fonts/a.woff2'] })).reloadFor,
    ['data/menu.json', 'fonts/a.woff2']);
});

test('files the page does not use change nothing', () => {
  assert.deepEqual(planUpdate(changes(['css/new.css', 'js/new.js'], ['other.html', 'img/unused.png']), usage({ css: ['css/a.css'] })),
    empty);
});

test('removed files alone change nothing, even ones the page used', () => {
  assert.deepEqual(planUpdate(changes([], [], ['js/old.js', 'css/a.css']), usage({ css: ['css/a.css'], uses: ['js/old.js'] })),
    empty);
});

test('a stylesheet is swapped whatever its file name ends in', () => {
  assert.deepEqual(planUpdate(changes([], ['theme.php']), usage({ css: ['theme.php'] })).css, ['theme.php']);
});

test('missing sets in the usage mean nothing is used', () => {
  assert.deepEqual(planUpdate(changes([], ['a.css']), {}), empty);
});

test('a diff feeds straight into a plan', () => {
  const diff = diffModules({ 'a.css': '1', 'b.css': '1' }, { 'a.css': '2', 'b.css': '1' });
  assert.deepEqual(planUpdate(diff, usage({ css: ['a.css', 'b.css'] })).css, ['a.css']);
});
