// Behind hmrd --proxy: which changes make a page ask the backend for itself again, what
// each answer means (patch, wait for a restarting backend, reload), and that a later
// build's fetch takes over. html.js's patch is a fake here; the wiring is in boot.test.js.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { unusedChanges, isBackendDown, refetchProblem, createRefetcher } = require('../hmr-client.js');

const PAGE = 'http://127.0.0.1:5757/posts/1/?tab=2';

test('a template, a .py file or a removed file is none of the page\'s assets and is sorted', () => {
  const usage = {
    page: new Set(), accepted: new Set(['static/hot.js']), css: new Set(['static/app.css']),
    images: new Set(['static/logo.png']), uses: new Set(['static/app.js']),
  };
  const diff = {
    added: ['templates/new.html'],
    updated: ['views.py', 'static/app.css', 'static/logo.png', 'static/hot.js', 'static/app.js', 'templates/post.html'],
    removed: ['templates/old.html', 'static/app.css'],
  };
  assert.deepEqual(unusedChanges(diff, usage), ['templates/new.html', 'templates/old.html', 'templates/post.html', 'views.py']);
  assert.deepEqual(unusedChanges({ added: [], updated: ['a.html'], removed: [] }, {}), ['a.html'], 'missing sets use nothing');
});

test('hmrd\'s backend-down page is a 502 that says so in its header, and nothing else is', () => {
  assert.equal(isBackendDown(502, 'down'), true);
  assert.equal(isBackendDown(502, ' Down '), true);
  assert.equal(isBackendDown(502, null), false, 'a 502 of the backend\'s own');
  assert.equal(isBackendDown(503, 'down'), false);
  assert.equal(isBackendDown(200, 'down'), false);
});

test('only a 2xx HTML answer from the page\'s own URL can be patched in, and each other answer says why', () => {
  const ok = { status: 200, url: PAGE, type: 'text/html; charset=utf-8' };
  assert.equal(refetchProblem(ok, PAGE), null);
  assert.equal(refetchProblem({ ...ok, status: 203 }, PAGE), null);
  assert.equal(refetchProblem({ ...ok, url: '' }, PAGE), null, 'an answer that does not say its URL');
  assert.equal(refetchProblem({ ...ok, url: 'http://127.0.0.1:5757/login/?next=/posts/1/' }, PAGE),
    'the page now redirects to http://127.0.0.1:5757/login/?next=/posts/1/');
  assert.equal(refetchProblem({ ...ok, url: 'http://127.0.0.1:5757/posts/1/' }, PAGE),
    'the page now redirects to http://127.0.0.1:5757/posts/1/', 'another query is another page');
  assert.equal(refetchProblem({ ...ok, status: 404 }, PAGE), 'the page was answered with 404');
  assert.equal(refetchProblem({ ...ok, status: 500 }, PAGE), 'the page was answered with 500');
  assert.equal(refetchProblem({ ...ok, status: 304 }, PAGE), 'the page was answered with 304');
  assert.equal(refetchProblem({ ...ok, type: 'application/json' }, PAGE), 'the page is not HTML (application/json)');
  assert.equal(refetchProblem({ ...ok, type: '' }, PAGE), 'the page is not HTML (no type)');
});

// A Response as fetch resolves it.
function answer({ status = 200, url = PAGE, type = 'text/html; charset=utf-8', down = false, body = '<p>new</p>' } = {}) {
  const headers = new Headers({ 'content-type': type });
  if (down) headers.set('X-Hmrd-Backend', 'down');
  return { status, url, headers, arrayBuffer: async () => new TextEncoder().encode(body).buffer };
}

// A refetcher with a fake fetch (`reply(n)` answers the nth request), patch and clock.
function harness(reply, { patch = () => 'applied' } = {}) {
  const s = { asked: [], patched: [], waited: [], logs: [], clock: 0 };
  s.refetch = createRefetcher({
    html: {
      patch: (buffer, path) => { s.patched.push([new TextDecoder().decode(buffer), path]); return patch(buffer); },
      available: () => true,
    },
    fetchPage: (url) => { s.asked.push(url); return reply(s.asked.length); },
    pageUrl: () => PAGE + '#comments',
    wait: (ms) => { s.waited.push(ms); s.clock += ms; return Promise.resolve(); },
    now: () => s.clock,
    log: { info: (...args) => s.logs.push(args.join(' ')) },
  });
  return s;
}

// Lets the follow-ups (their waits resolve at once here) run to the end.
const drain = () => new Promise((resolve) => setTimeout(resolve, 10));

test('the page asks for its own URL without the fragment, is patched, and looks again three times', async () => {
  const s = harness(() => Promise.resolve(answer()));
  assert.equal(await s.refetch.update('templates/post.html'), 'applied');
  await drain();
  assert.deepEqual(s.asked, [PAGE, PAGE, PAGE, PAGE]);
  assert.deepEqual(s.waited, [300, 800, 1000]);
  assert.deepEqual(s.patched[0], ['<p>new</p>', 'templates/post.html']);
});

test('HTML the page already shows comes back unchanged at once', async () => {
  const s = harness(() => Promise.resolve(answer()), { patch: () => 'unchanged' });
  assert.equal(await s.refetch.update('views.py'), 'unchanged');
});

test('a backend that answers the old page for a moment (a template cache, a late restart) is patched once it does not', async () => {
  const s = harness((n) => Promise.resolve(answer({ body: n === 1 ? 'old' : 'new' })));
  await s.refetch.update('templates/post.html');
  await drain();
  assert.deepEqual(s.patched.map(([body]) => body), ['old', 'new', 'new', 'new']);
});

test('a later look that cannot be patched in is handed to the caller', async () => {
  const s = harness((n) => Promise.resolve(n === 1 ? answer() : answer({ status: 404 })));
  const late = [];
  assert.equal(await s.refetch.update('templates/post.html', (result) => late.push(result)), 'applied');
  await drain();
  assert.deepEqual(late, [{ reload: 'the page was answered with 404' }]);
  assert.equal(s.asked.length, 2, 'no more looks after that');
});

test('a backend that is down is asked again every 300 ms, and the page is patched once it answers', async () => {
  const s = harness((n) => Promise.resolve(n <= 4 ? answer({ status: 502, down: true }) : answer({ body: 'back' })));
  assert.equal(await s.refetch.update('views.py'), 'applied');
  await drain();
  assert.equal(s.asked.length, 5 + 3, 'four while down, the answer, three looks after it');
  assert.deepEqual(s.waited, [300, 300, 300, 300, 300, 800, 1000]);
  assert.deepEqual(s.patched[0], ['back', 'views.py']);
  assert.equal(s.logs.filter((line) => line.includes('backend is not answering')).length, 1, 'said once');
});

test('a backend still down after 30 s reloads the page, into hmrd\'s page that waits by itself', async () => {
  const s = harness(() => Promise.resolve(answer({ status: 502, down: true })));
  assert.deepEqual(await s.refetch.update('views.py'), { reload: 'the page was answered with 502' });
  assert.equal(s.asked.length, 101);
  assert.equal(s.clock, 30000);
  assert.deepEqual(s.patched, []);
});

test('a 502 of the backend\'s own, a redirect, another status, non-HTML or no answer at all reloads at once', async () => {
  const cases = [
    [() => Promise.resolve(answer({ status: 502 })), 'the page was answered with 502'],
    [() => Promise.resolve(answer({ url: 'http://127.0.0.1:5757/login/' })),
      'the page now redirects to http://127.0.0.1:5757/login/'],
    [() => Promise.resolve(answer({ status: 404 })), 'the page was answered with 404'],
    [() => Promise.resolve(answer({ type: 'application/json' })), 'the page is not HTML (application/json)'],
    [() => Promise.reject(new TypeError('Failed to fetch')), 'TypeError: Failed to fetch'],
  ];
  for (const [reply, why] of cases) {
    const s = harness(reply);
    assert.deepEqual(await s.refetch.update('templates/post.html'), { reload: why });
    assert.deepEqual(s.waited, []);
    assert.deepEqual(s.patched, []);
    assert.ok(s.logs.some((line) => line === 'cannot update templates/post.html in place: ' + why), s.logs.join('\n'));
  }
});

test('HTML the morph cannot take (its scripts changed) reloads the page', async () => {
  const refused = () => { throw Object.assign(new Error('its scripts changed'), { notPatchable: true }); };
  const s = harness(() => Promise.resolve(answer()), { patch: refused });
  assert.deepEqual(await s.refetch.update('templates/base.html'), { reload: 'its scripts changed' });
});

test('a later build\'s fetch takes over from one still on its way, which patches nothing', async () => {
  const pending = [];
  const s = harness(() => new Promise((resolve) => pending.push(resolve)));
  const first = s.refetch.update('templates/a.html');
  const second = s.refetch.update('templates/b.html');
  pending[0](answer({ body: 'first' }));
  pending[1](answer({ body: 'second' }));
  assert.equal(await first, 'superseded');
  assert.equal(await second, 'applied');
  assert.deepEqual(s.patched, [['second', 'templates/b.html']]);
});

test('a fetch waiting for the backend stops asking once a later build\'s fetch has started', async () => {
  const waits = [];
  let asked = 0;
  const refetch = createRefetcher({
    html: { patch: () => 'applied', available: () => true },
    fetchPage: () => { asked++; return Promise.resolve(answer({ status: 502, down: true })); },
    pageUrl: () => PAGE,
    wait: () => new Promise((resolve) => waits.push(resolve)),
    now: () => 0,
    log: { info() {} },
  });
  const stalled = refetch.update('views.py');
  await new Promise(setImmediate);
  refetch.update('views.py');
  await new Promise(setImmediate);
  assert.equal(asked, 2);
  waits[0]();
  assert.equal(await stalled, 'superseded');
  assert.equal(asked, 2, 'the first did not ask again');
});
