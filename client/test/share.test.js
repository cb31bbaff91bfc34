// Sharing one stream between tabs, fed events with no locks, channels or pages: which
// frames a tab delivers, what goes on the channel, the handover from one holder to the
// next (in the orders the browser may interleave it), freezing and resuming.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createShare, shareName, resumeUrl, isAfter } = require('../hmr-client.js');

const STREAM = 'http://127.0.0.1:5757/__hmr';
const building = (n) => ({ action: 'building', name: '', trigger: ['src/app.css'], n });
const built = (hash) => ({ action: 'built', name: '', hash, modules: {}, errors: [], warnings: [] });
const sync = (hash) => ({ action: 'sync', name: '', hash, modules: {}, errors: [], warnings: [] });

const delivered = (actions) => actions.filter((a) => a.do === 'deliver').map((a) => a.payload);
const posted = (actions) => actions.filter((a) => a.do === 'post').map((a) => a.message);
const kinds = (actions) => actions.map((a) => (a.do === 'post' ? 'post ' + a.message.type : a.do));

// A tab that holds the stream (it asked, was granted the lock, and its stream opened).
function holder(tab = 'A') {
  const s = createShare({ tab, shared: true });
  s.handle({ type: 'start' });
  s.handle({ type: 'lockGranted' });
  s.handle({ type: 'streamConnected', value: true });
  return s;
}

function follower(tab = 'B') {
  const s = createShare({ tab, shared: true });
  s.handle({ type: 'start' });
  return s;
}

const frame = (id, payload, from = 'A') => ({ type: 'message', message: { from, type: 'frames', frames: [{ id, payload }] } });

test('the lock and channel name is the daemon\'s stream URL with the protocol\'s version', () => {
  assert.equal(shareName(STREAM), 'hmrd-stream-2 ' + STREAM);
  assert.notEqual(shareName(STREAM), shareName('http://127.0.0.1:5758/__hmr'));
});

test('a stream resumes from the last id in the URL, as a new EventSource cannot send the header', () => {
  assert.equal(resumeUrl(STREAM, ''), STREAM);
  assert.equal(resumeUrl(STREAM, '1700000000000042'), STREAM + '?lastEventId=1700000000000042');
  assert.equal(resumeUrl(STREAM + '?x=1', '7'), STREAM + '?x=1&lastEventId=7');
  assert.equal(resumeUrl(STREAM, 'a b'), STREAM + '?lastEventId=a%20b');
});

test('ids are ordered as digits, whatever their length, and an id that is not digits passes', () => {
  assert.equal(isAfter('1700000000000043', '1700000000000042'), true);
  assert.equal(isAfter('1700000000000042', '1700000000000042'), false);
  assert.equal(isAfter('999', '1000'), false);
  assert.equal(isAfter('10000000000000000000001', '10000000000000000000000'), true, 'past 2^64');
  assert.equal(isAfter('0042', '41'), true);
  assert.equal(isAfter('x', '41'), true);
  assert.equal(isAfter('41', 'x'), true);
});

test('a page with a stream of its own opens it at once and never posts', () => {
  const s = createShare({ tab: 'A', shared: false });
  assert.deepEqual(s.handle({ type: 'start' }), [{ do: 'openStream' }]);
  assert.equal(s.role, 'own');
  assert.deepEqual(s.handle({ type: 'streamConnected', value: true }), [{ do: 'connected', value: true }]);
  assert.deepEqual(s.handle({ type: 'streamFrame', id: '5', payload: built('h1') }), [{ do: 'deliver', payload: built('h1') }]);
  assert.deepEqual(s.handle({ type: 'freeze' }), [], 'its stream stays as it always did');
  assert.equal(s.role, 'own');
});

test('a shared tab asks for the lock and says hello; granted, it opens the stream and says when it is open', () => {
  const s = createShare({ tab: 'A', shared: true });
  assert.deepEqual(s.handle({ type: 'start' }), [{ do: 'requestLock' }, { do: 'post', message: { from: 'A', type: 'hello' } }]);
  assert.equal(s.role, 'following');
  assert.deepEqual(s.handle({ type: 'lockGranted' }), [{ do: 'openStream' }]);
  assert.equal(s.role, 'holding');
  assert.deepEqual(s.handle({ type: 'streamConnected', value: true }), [
    { do: 'connected', value: true },
    { do: 'post', message: { from: 'A', type: 'connected', value: true } },
  ]);
  assert.deepEqual(s.handle({ type: 'streamConnected', value: true }), [], 'said once');
});

test('the holder posts every frame with its id, and delivers it itself', () => {
  const s = holder();
  assert.deepEqual(s.handle({ type: 'streamFrame', id: '101', payload: built('h1') }), [
    { do: 'post', message: { from: 'A', type: 'frames', frames: [{ id: '101', payload: built('h1') }] } },
    { do: 'deliver', payload: built('h1') },
  ]);
  assert.equal(s.lastId, '101');
});

test('the holder delivers building at once but holds it from the others; the built that follows goes with it', () => {
  const s = holder();
  assert.deepEqual(s.handle({ type: 'streamFrame', id: '101', payload: building(1) }), [
    { do: 'setTimer', ms: 100 },
    { do: 'deliver', payload: building(1) },
  ]);
  assert.equal(s.lastId, '101');
  assert.deepEqual(s.handle({ type: 'streamFrame', id: '102', payload: built('h2') }), [
    { do: 'clearTimer' },
    { do: 'post', message: { from: 'A', type: 'frames', frames: [{ id: '101', payload: building(1) }, { id: '102', payload: built('h2') }] } },
    { do: 'deliver', payload: built('h2') },
  ]);
  assert.deepEqual(s.handle({ type: 'timerFired' }), [], 'a timer that fired as it was cleared posts nothing');

  const f = follower();
  assert.deepEqual(f.handle({ type: 'message', message: posted(s.handle({ type: 'streamFrame', id: '103', payload: building(3) })).concat(
    posted(s.handle({ type: 'streamFrame', id: '104', payload: built('h4') })))[0] }), [
    { do: 'deliver', payload: building(3) },
    { do: 'deliver', payload: built('h4') },
  ], 'a follower delivers both, in order');
});

test('a build that runs longer than the hold is posted when the hold ends', () => {
  const s = holder();
  s.handle({ type: 'streamFrame', id: '101', payload: building(1) });
  assert.deepEqual(s.handle({ type: 'timerFired' }), [
    { do: 'post', message: { from: 'A', type: 'frames', frames: [{ id: '101', payload: building(1) }] } },
  ]);
  assert.deepEqual(s.handle({ type: 'streamFrame', id: '102', payload: built('h2') }), [
    { do: 'post', message: { from: 'A', type: 'frames', frames: [{ id: '102', payload: built('h2') }] } },
    { do: 'deliver', payload: built('h2') },
  ]);
  assert.deepEqual(kinds(s.handle({ type: 'streamFrame', id: '103', payload: building(3) })), ['setTimer', 'deliver']);
  assert.deepEqual(posted(s.handle({ type: 'streamFrame', id: '104', payload: building(4) }))[0].frames.map((f) => f.id),
    ['103', '104'], 'a second building goes out with the first, and is not held');
});

test('a tab with a stream of its own holds nothing back and sets no timer', () => {
  const s = createShare({ tab: 'A', shared: false });
  s.handle({ type: 'start' });
  assert.deepEqual(s.handle({ type: 'streamFrame', id: '101', payload: building(1) }), [{ do: 'deliver', payload: building(1) }]);
});

test('a holder that freezes during the hold posts the building first, then lets the stream go', () => {
  const s = holder();
  s.handle({ type: 'streamFrame', id: '101', payload: building(1) });
  assert.deepEqual(s.handle({ type: 'freeze' }), [
    { do: 'clearTimer' },
    { do: 'post', message: { from: 'A', type: 'frames', frames: [{ id: '101', payload: building(1) }] } },
    { do: 'closeStream' }, { do: 'releaseLock' }, { do: 'connected', value: false },
  ]);
  assert.deepEqual(s.handle({ type: 'timerFired' }), []);
});

test('a newcomer is told of a building the holder still holds; the post that follows is a copy to it', () => {
  const h = holder();
  h.handle({ type: 'streamFrame', id: '100', payload: sync('h1') });
  h.handle({ type: 'streamFrame', id: '101', payload: building(1) });
  const n = follower('N');
  const answer = posted(h.handle({ type: 'message', message: { from: 'N', type: 'hello' } }))[0];
  assert.deepEqual(delivered(n.handle({ type: 'message', message: answer })), [sync('h1'), building(1)]);
  const both = posted(h.handle({ type: 'streamFrame', id: '102', payload: built('h2') }))[0];
  assert.deepEqual(delivered(n.handle({ type: 'message', message: both })), [built('h2')]);
});

test('a follower delivers each frame once: one whose id is not after the last delivered is a copy', () => {
  const s = follower();
  assert.deepEqual(delivered(s.handle(frame('101', building(1)))), [building(1)]);
  assert.deepEqual(delivered(s.handle(frame('102', built('h2')))), [built('h2')]);
  assert.deepEqual(delivered(s.handle(frame('102', built('h2'), 'C'))), [], 'the same frame from a new holder');
  assert.deepEqual(delivered(s.handle(frame('101', building(1), 'C'))), [], 'an older one');
  assert.equal(s.lastId, '102');
  assert.deepEqual(delivered(s.handle(frame('103', building(3)))), [building(3)]);
});

test('sync is always delivered and sets the last id, even back (a daemon started with an earlier clock)', () => {
  const s = follower();
  s.handle(frame('500', built('h2')));
  assert.deepEqual(delivered(s.handle(frame('500', sync('h2')))), [sync('h2')]);
  assert.deepEqual(delivered(s.handle(frame('300', sync('h3')))), [sync('h3')]);
  assert.equal(s.lastId, '300');
  assert.deepEqual(delivered(s.handle(frame('301', building(1)))), [building(1)]);
});

test('a frame without an id is delivered and leaves the last id; unreadable messages are ignored', () => {
  const s = follower();
  s.handle(frame('7', built('h1')));
  assert.deepEqual(delivered(s.handle(frame('', { action: 'custom' }))), [{ action: 'custom' }]);
  assert.equal(s.lastId, '7');
  for (const message of [null, 'hello', {}, { type: 'frames', frames: [{ id: '8' }] }, { type: 'frames', frames: [{ id: '8', payload: { x: 1 } }] },
    { type: 'frames', frames: 'x' }, { type: 'frames', frames: [null, 7] }, { type: 'frames' },
    { type: 'gossip', from: 'C' }, { type: 'frames', from: 'B', frames: [{ id: '9', payload: built('h9') }] }]) {
    assert.deepEqual(s.handle({ type: 'message', message }), [], JSON.stringify(message));
  }
});

test('a follower shows whether the holder\'s stream is open; a holder keeps its own word', () => {
  const s = follower();
  s.handle({ type: 'message', message: { from: 'A', type: 'state', to: 'B', connected: false, frames: [] } });
  assert.deepEqual(s.handle({ type: 'message', message: { from: 'A', type: 'connected', value: true } }),
    [{ do: 'connected', value: true }]);
  assert.deepEqual(s.handle({ type: 'message', message: { from: 'A', type: 'connected', value: true } }), []);
  const h = holder();
  assert.deepEqual(h.handle({ type: 'message', message: { from: 'C', type: 'connected', value: false } }), []);
});

test('a holder answers a hello with the state as sync, then the build under way, addressed to the newcomer', () => {
  const h = holder();
  h.handle({ type: 'streamFrame', id: '100', payload: sync('h1') });
  h.handle({ type: 'streamFrame', id: '101', payload: building(1) });
  h.handle({ type: 'streamFrame', id: '102', payload: built('h2') });
  h.handle({ type: 'streamFrame', id: '103', payload: building(3) });
  assert.deepEqual(h.handle({ type: 'message', message: { from: 'N', type: 'hello' } }), [{ do: 'post', message: {
    from: 'A', type: 'state', to: 'N', connected: true,
    frames: [{ id: '102', payload: sync('h2') }, { id: '103', payload: building(3) }],
  } }]);
  assert.deepEqual(follower('C').handle({ type: 'message', message: { from: 'N', type: 'hello' } }), [], 'only the holder answers');

  const n = follower('N');
  const answer = posted(h.handle({ type: 'message', message: { from: 'N', type: 'hello' } }))[0];
  assert.deepEqual(follower('C').handle({ type: 'message', message: answer }), [], 'not addressed to C');
  assert.deepEqual(n.handle({ type: 'message', message: answer }), [
    { do: 'connected', value: true },
    { do: 'deliver', payload: sync('h2') },
    { do: 'deliver', payload: building(3) },
  ]);
  assert.equal(n.lastId, '103');
  assert.deepEqual(delivered(n.handle(frame('103', building(3)))), [], 'the same building, posted meanwhile');
});

test('a newcomer no holder answered asks again when it hears one; once greeted it does not', () => {
  const n = follower('N');
  assert.deepEqual(kinds(n.handle({ type: 'message', message: { from: 'A', type: 'connected', value: false } })),
    ['post hello']);
  assert.deepEqual(kinds(n.handle({ type: 'message', message: { from: 'A', type: 'connected', value: true } })),
    ['connected', 'post hello']);
  n.handle(frame('100', sync('h1')));
  assert.deepEqual(kinds(n.handle({ type: 'message', message: { from: 'A', type: 'connected', value: false } })),
    ['connected']);
  const h = holder('A');
  const answer = posted(h.handle({ type: 'message', message: { from: 'N', type: 'hello' } }))[0];
  assert.deepEqual(answer.frames, [], 'a holder that has heard nothing yet answers with nothing but its state');
});

test('a new holder resumes from the last id it delivered and says its stream is not open yet', () => {
  const s = follower('B');
  s.handle({ type: 'message', message: { from: 'A', type: 'state', to: 'B', connected: true, frames: [{ id: '100', payload: sync('h1') }] } });
  s.handle(frame('101', building(1)));
  assert.deepEqual(s.handle({ type: 'lockGranted' }), [
    { do: 'connected', value: false },
    { do: 'post', message: { from: 'B', type: 'connected', value: false } },
    { do: 'openStream' },
  ]);
  assert.equal(resumeUrl(STREAM, s.lastId), STREAM + '?lastEventId=101');
});

// Three tabs on one channel. A holds the stream and dies during a build; B takes over.
// `order` says which arrives first at B and C: the dead holder's last post or B's stream;
// `dies` says when A dies: after posting `built` (with the `building` it held), or during
// the hold, having posted nothing of the build.
for (const dies of ['after built', 'during the hold']) {
  for (const order of ['the dead holder\'s post first', 'the new holder\'s stream first']) {
    test('a build published during the handover reaches every tab exactly once: dies ' + dies + ', ' + order, () => {
      const tabs = { A: holder('A'), B: follower('B'), C: follower('C') };
      const got = { A: [], B: [], C: [] };
      // The daemon's frames: a stream that resumes after an id gets those that follow it.
      const daemon = [['100', sync('h1')], ['101', building(1)], ['102', built('h2')]];
      // Posts reach the other tabs when `flush` says so, as a channel's tasks do.
      const queue = [];
      function act(name, actions) {
        for (const a of actions) {
          if (a.do === 'deliver') got[name].push(a.payload.action + (a.payload.hash ? ' ' + a.payload.hash : ''));
          if (a.do === 'post') for (const other of Object.keys(tabs)) if (other !== name) queue.push([other, a.message]);
        }
      }
      const flush = () => { while (queue.length) { const [to, message] = queue.shift(); act(to, tabs[to].handle({ type: 'message', message })); } };
      act('A', tabs.A.handle({ type: 'streamFrame', id: '100', payload: sync('h1') }));
      flush();
      act('A', tabs.A.handle({ type: 'streamFrame', id: '101', payload: building(1) }));
      flush();
      // A hears `built`, posts it, and dies (or dies before); the browser hands the lock to B.
      if (dies === 'after built') act('A', tabs.A.handle({ type: 'streamFrame', id: '102', payload: built('h2') }));
      const late = queue.splice(0).filter(([to]) => to !== 'A');
      delete tabs.A;
      const bFirst = order.startsWith('the new');
      if (!bFirst) { queue.push(...late); flush(); }
      act('B', tabs.B.handle({ type: 'lockGranted' }));
      const expected = dies === 'after built' && !bFirst ? '102' : '100';
      assert.equal(tabs.B.lastId, expected, 'B resumes from what it delivered');
      for (const [id, payload] of daemon) if (isAfter(id, tabs.B.lastId)) act('B', tabs.B.handle({ type: 'streamFrame', id, payload }));
      act('B', tabs.B.handle({ type: 'streamConnected', value: true }));
      flush();
      if (bFirst) { queue.push(...late); flush(); }
      for (const name of ['B', 'C']) assert.deepEqual(got[name], ['sync h1', 'building', 'built h2'], name);
    });
  }
}

test('a daemon restart reaches every tab: the holder\'s new stream opens with sync, forwarded to all', () => {
  const h = holder('A');
  const f = follower('B');
  f.handle(frame('900', built('h1')));
  h.handle({ type: 'streamFrame', id: '900', payload: built('h1') });
  const actions = h.handle({ type: 'streamFrame', id: '20', payload: sync('h2') });
  assert.deepEqual(delivered(actions), [sync('h2')]);
  assert.deepEqual(delivered(f.handle({ type: 'message', message: posted(actions)[0] })), [sync('h2')]);
  assert.deepEqual(delivered(f.handle(frame('21', building(1)))), [building(1)], 'the new ids count from the sync');
});

test('frozen, a holder closes its stream and lets the lock go; resumed, it follows again and asks for the state', () => {
  const s = holder('A');
  assert.deepEqual(s.handle({ type: 'freeze' }), [{ do: 'closeStream' }, { do: 'releaseLock' }, { do: 'connected', value: false }]);
  assert.equal(s.role, 'frozen');
  assert.deepEqual(s.handle({ type: 'freeze' }), [], 'pagehide, then freeze: once');
  assert.deepEqual(s.handle({ type: 'resume' }), [{ do: 'requestLock' }, { do: 'post', message: { from: 'A', type: 'hello' } }]);
  assert.equal(s.role, 'following');
  assert.deepEqual(s.handle({ type: 'resume' }), [], 'resumed once');
});

test('frozen while waiting, a tab withdraws its request; a grant that raced the freeze is handed back', () => {
  const s = follower('B');
  assert.deepEqual(s.handle({ type: 'freeze' }), [{ do: 'cancelLock' }]);
  assert.deepEqual(s.handle({ type: 'lockGranted' }), [{ do: 'releaseLock' }]);
  assert.equal(s.role, 'frozen');
});

test('a tab refused a lock (a file: page, a sandboxed frame) opens a stream of its own', () => {
  const s = follower('B');
  assert.deepEqual(s.handle({ type: 'lockRefused' }), [{ do: 'openStream' }]);
  assert.equal(s.role, 'own');
  assert.deepEqual(s.handle({ type: 'streamConnected', value: true }), [{ do: 'connected', value: true }], 'and posts nothing');
  assert.deepEqual(s.handle({ type: 'message', message: { from: 'N', type: 'hello' } }), []);
  assert.deepEqual(s.handle(frame('5', built('h5'))), [], 'its own stream is all it hears');
});

test('an impossible event throws and leaves the role as it was', () => {
  const cases = [
    ['started twice', () => follower(), (s) => s.handle({ type: 'start' })],
    ['granted while holding', () => holder(), (s) => s.handle({ type: 'lockGranted' })],
    ['refused while holding', () => holder(), (s) => s.handle({ type: 'lockRefused' })],
    ['granted before start', () => createShare({ tab: 'A', shared: true }), (s) => s.handle({ type: 'lockGranted' })],
    ['a stream frame while following', () => follower(), (s) => s.handle({ type: 'streamFrame', id: '1', payload: built('h') })],
    ['a stream state while frozen', () => { const s = holder(); s.handle({ type: 'freeze' }); return s; },
      (s) => s.handle({ type: 'streamConnected', value: true })],
    ['an unknown event', () => holder(), (s) => s.handle({ type: 'steal' })],
  ];
  for (const [what, make, act] of cases) {
    const s = make();
    const before = s.role;
    assert.throws(() => act(s), /^Error: hmr: sharing bug: /, what);
    assert.equal(s.role, before, what);
  }
});
