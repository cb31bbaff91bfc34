// One event stream for every tab of a browser: the tab holding a Web Lock runs the
// connection and posts each frame on a BroadcastChannel; the others deliver what they
// hear. A state machine like connection.js: events in, actions out. It decides which
// frames a tab delivers, what goes on the channel, and what a tab does when it is
// frozen or resumed; boot.js carries that out with the browser's locks and channels.

// Lock and channel name: the protocol's version, then the daemon's absolute stream URL,
// so two daemons never mix, nor two versions of the client that speak differently.
const SHARE_PROTOCOL = 'hmrd-stream-2 ';
const RESUME_PARAM = 'lastEventId'; // The daemon's stand-in for Last-Event-ID (StreamResumePoint.swift).
// How long a holder keeps `building` from the other tabs: a build that ends sooner goes
// out as `building` and `built` in one message, so the other tabs wake once, after the
// build, instead of also while it runs, taking the CPU from it. Well under the
// indicator's delay (overlay.js), which a longer build still shows.
const BUILDING_HOLD_MS = 100;

function shareName(streamUrl) {
  return SHARE_PROTOCOL + streamUrl;
}

// A new EventSource cannot send Last-Event-ID, so the id rides in the URL.
function resumeUrl(streamUrl, lastId) {
  if (!lastId) return streamUrl;
  return streamUrl + (streamUrl.includes('?') ? '&' : '?') + RESUME_PARAM + '=' + encodeURIComponent(lastId);
}

// Whether frame `id` comes after `last`. Ids are decimal and large (the daemon's start
// time in ms × 1000, plus a count): compared as digits, none is too large for a number.
// An id that is not digits cannot be ordered: it passes.
function isAfter(id, last) {
  const digits = /^[0-9]+$/;
  if (!digits.test(id) || !digits.test(last)) return true;
  const a = id.replace(/^0+(?=.)/, '');
  const b = last.replace(/^0+(?=.)/, '');
  return a.length !== b.length ? a.length > b.length : a > b;
}

// The roles of a tab:
//
//   idle       not started
//   own        a stream of its own (?shared=false, no locks or channels here, or refused one)
//   following  waiting for the lock; delivers the frames the holder posts
//   holding    holds the lock and runs the stream
//   frozen     frozen or in the back/forward cache: neither holds nor waits
//
// `tab` names this tab on the channel (an answer to its hello is addressed to it).
function createShare({ tab, shared }) {
  let role = 'idle';
  let lastId = '';         // The id of the last frame this tab delivered ('' for none).
  let connected = false;
  let greeted = false;     // Heard from a holder since it joined: it knows the state.
  let latest = null;       // { id, payload }: the last `built` or `sync` delivered.
  let building = null;     // { id, payload }: a `building` delivered after it.
  let held = null;         // { id, payload }: a `building` the holder has not posted yet.

  function handle(event) {
    switch (event.type) {
      case 'start': return start();
      case 'lockGranted': return lockGranted();
      case 'lockRefused': return lockRefused();
      case 'streamFrame': return streamFrame(event.id || '', event.payload);
      case 'streamConnected': return streamConnected(event.value);
      case 'message': return message(event.message);
      case 'timerFired': return held ? release() : []; // A timer cleared as it fired: nothing held.
      case 'freeze': return freeze();
      case 'resume': return resume();
      default: return bug('an unknown event ' + JSON.stringify(event.type));
    }
  }

  function start() {
    if (role !== 'idle') return bug('started twice');
    if (!shared) {
      role = 'own';
      return [{ do: 'openStream' }];
    }
    return join();
  }

  function join() {
    role = 'following';
    greeted = false;
    return [{ do: 'requestLock' }, post({ type: 'hello' })];
  }

  // A lock granted just as the tab froze is handed straight back.
  function lockGranted() {
    if (role === 'frozen') return [{ do: 'releaseLock' }];
    if (role !== 'following') return bug('granted the lock without waiting for it');
    role = 'holding';
    return setConnected(false).concat({ do: 'openStream' });
  }

  // An origin with no locks of its own (a file: page, a sandboxed frame) is refused
  // one: the page opens a stream of its own, as where there are no locks at all.
  function lockRefused() {
    if (role !== 'following') return bug('refused a lock it was not waiting for');
    role = 'own';
    return [{ do: 'openStream' }];
  }

  // The holder delivers each frame at once and posts it, `building` after a while (or
  // with the frame that follows it): a message carries frames in the order they came.
  function streamFrame(id, payload) {
    if (role !== 'holding' && role !== 'own') return bug('a frame from a stream this tab does not hold');
    if (role === 'own') return deliver(id, payload);
    const frames = held ? [held, { id, payload }] : [{ id, payload }];
    const actions = held ? [{ do: 'clearTimer' }] : [];
    held = null;
    if (payload && payload.action === 'building' && frames.length === 1) {
      held = frames[0];
      actions.push({ do: 'setTimer', ms: BUILDING_HOLD_MS });
    } else {
      actions.push(post({ type: 'frames', frames }));
    }
    return actions.concat(deliver(id, payload));
  }

  // The hold is over: the other tabs hear of the build under way.
  function release() {
    const frames = [held];
    held = null;
    return [post({ type: 'frames', frames })];
  }

  function streamConnected(value) {
    if (role !== 'holding' && role !== 'own') return bug('a stream this tab does not hold changed state');
    return setConnected(value);
  }

  function message(data) {
    if (role === 'own' || !data || typeof data !== 'object' || data.from === tab) return [];
    switch (data.type) {
      case 'frames': return deliverAll(data.frames);
      case 'connected': return heardConnected(Boolean(data.value));
      case 'hello': return role === 'holding' ? [answer(data.from)] : [];
      case 'state': return data.to === tab ? greetedWith(data) : [];
      default: return []; // Not ours to know.
    }
  }

  // A holder says its stream opened or dropped; a tab it has not greeted yet asks again.
  function heardConnected(value) {
    if (role === 'holding') return [];
    const actions = connected === value ? [] : [{ do: 'connected', value }];
    connected = value;
    return greeted ? actions : actions.concat(post({ type: 'hello' }));
  }

  // What a tab that joins is told: the state as `sync` (what the daemon greets a new
  // stream with), then the build under way, and whether the stream is open.
  function answer(to) {
    const frames = [];
    if (latest) frames.push({ id: latest.id, payload: Object.assign({}, latest.payload, { action: 'sync' }) });
    if (building) frames.push(building);
    return post({ type: 'state', to, connected, frames });
  }

  function greetedWith(data) {
    greeted = true;
    return setConnected(Boolean(data.connected)).concat(deliverAll(data.frames));
  }

  function deliverAll(frames) {
    const actions = [];
    for (const frame of Array.isArray(frames) ? frames : []) {
      if (frame && typeof frame === 'object') actions.push(...deliver(String(frame.id || ''), frame.payload));
    }
    return actions;
  }

  // Every frame reaches a tab once, from whichever holder: one whose id is not after
  // the last delivered is a copy (a new holder resumes from its own last id while the
  // old one's frames may still be on their way). `sync` always passes and sets the
  // last id, even back: it is the whole state, and the page compares hashes.
  function deliver(id, payload) {
    if (!payload || typeof payload !== 'object' || typeof payload.action !== 'string') return [];
    // A ghost sync frame is not kept by the daemon (its id is the frame before's, a dot
    // and a count): it is never replayed, so never twice, and it moves no resume point.
    if (payload.action === 'ghost') return [{ do: 'deliver', payload }];
    const isSync = payload.action === 'sync';
    if (!isSync && id && lastId && !isAfter(id, lastId)) return [];
    if (id) lastId = id;
    if (isSync || payload.action === 'built') {
      latest = { id, payload };
      building = null;
      greeted = true;
    } else if (payload.action === 'building') {
      building = { id, payload };
    }
    return [{ do: 'deliver', payload }];
  }

  // Frozen, a holder would keep the stream and the lock from every other tab; a tab
  // still waiting could be granted the lock and sit on it.
  function freeze() {
    switch (role) {
      case 'holding': {
        // A `building` still held goes out first: the next holder resumes after it.
        const flush = held ? [{ do: 'clearTimer' }].concat(release()) : [];
        role = 'frozen'; // First: the next holder says whether the stream is open, not this one.
        return flush.concat({ do: 'closeStream' }, { do: 'releaseLock' }, setConnected(false));
      }
      case 'following':
        role = 'frozen';
        return [{ do: 'cancelLock' }];
      default: return []; // A stream of its own stays as it is; frozen twice (pagehide, then freeze) is once.
    }
  }

  // Back from the freeze: a follower again, behind whoever took the lock meanwhile.
  function resume() {
    return role === 'frozen' ? join() : [];
  }

  // A holder tells the others too.
  function setConnected(value) {
    if (connected === value) return [];
    connected = value;
    const actions = [{ do: 'connected', value }];
    return role === 'holding' ? actions.concat(post({ type: 'connected', value })) : actions;
  }

  function post(message) {
    return { do: 'post', message: Object.assign({ from: tab }, message) };
  }

  // Loud, and the state is left as it was.
  function bug(what) {
    throw new Error('hmr: sharing bug: ' + what + ' (role: ' + role + ')');
  }

  return {
    handle,
    get role() { return role; },
    get lastId() { return lastId; },
  };
}
