// Deciding what a change set means for a page: swap its stylesheets or reload.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { planUpdate, diffModules, moduleUrl } = require('../hmr-client.js');

const page = 'http://localhost:3000/';
const toUrl = (path) => moduleUrl(path, '/', page);
const linked = (...paths) => new Set(paths.map(toUrl));
const changes = (added, updated, removed = []) => ({ added, updated, removed });

test('changed stylesheets the page links are swapped, sorted, without a reload', () => {
  assert.deepEqual(planUpdate(changes(['css/b.css'], ['css/a.css']), linked('css/a.css', 'css/b.css'), toUrl),
    { swapCss: ['css/a.css', 'css/b.css'], reload: false, reloadFor: [] });
});

test('any changed file that is not a linked stylesheet reloads the page', () => {
  const plan = planUpdate(changes([], ['css/a.css', 'index.html', 'js/app.js']), linked('css/a.css'), toUrl);
  assert.deepEqual(plan, { swapCss: ['css/a.css'], reload: true, reloadFor: ['index.html', 'js/app.js'] });
});

test('an added script reloads the page', () => {
  assert.equal(planUpdate(changes(['js/new.js'], []), linked(), toUrl).reload, true);
});

test('stylesheets the page does not link are ignored', () => {
  assert.deepEqual(planUpdate(changes(['css/new.css'], ['css/other.CSS']), linked('css/a.css'), toUrl),
    { swapCss: [], reload: false, reloadFor: [] });
});

test('removed files alone change nothing', () => {
  assert.deepEqual(planUpdate(changes([], [], ['js/old.js', 'css/a.css']), linked('css/a.css'), toUrl),
    { swapCss: [], reload: false, reloadFor: [] });
});

test('a linked stylesheet whose name does not end in .css is still swapped', () => {
  assert.deepEqual(planUpdate(changes([], ['theme.php']), linked('theme.php'), toUrl).swapCss, ['theme.php']);
});

test('the plan follows the public path: a link outside it is not the module', () => {
  const toStatic = (path) => moduleUrl(path, '/static/', page);
  const plan = planUpdate(changes([], ['css/a.css']), linked('css/a.css'), toStatic);
  assert.deepEqual(plan, { swapCss: [], reload: false, reloadFor: [] });
  const plan2 = planUpdate(changes([], ['css/a.css']), new Set([toStatic('css/a.css')]), toStatic);
  assert.deepEqual(plan2.swapCss, ['css/a.css']);
});

test('a diff feeds straight into a plan', () => {
  const diff = diffModules({ 'a.css': '1', 'b.css': '1' }, { 'a.css': '2', 'b.css': '1' });
  assert.deepEqual(planUpdate(diff, linked('a.css', 'b.css'), toUrl).swapCss, ['a.css']);
});
