// What this page tells the daemon (POST P/report, "Pages report back"): that it is
// open (hello, again every minute and on each reconnect, so a restarted daemon knows
// it too), that it left, what it did with each build, and errors nothing caught.
// Only while the stream is open: with the daemon gone, nothing is sent or kept but
// the hello. The transport (`send`), the clock and sessionStorage are passed in.

const HELLO_EVERY_MS = 60000;       // The daemon forgets a page silent for 3 minutes.
const ERRORS_PER_WINDOW = 5;        // Uncaught errors reported per window; a loop of them is not a flood.
const ERROR_WINDOW_MS = 10000;
const RELOAD_KEY = 'hmr-reloaded';  // sessionStorage: the page before a reload, for the one after it.
const RELOAD_FRESH_MS = 30000;      // Older than this, a note in sessionStorage is not this reload's.

// `send(json)` posts a report; `url()` is the page's address; `now()` is epoch ms.
function createReporter({ id, url, name, send, now, storage, later = (fn) => fn() }) {
  storage = storage || { getItem: () => null, setItem() {}, removeItem() {} };
  let connected = false;
  let here = true;            // Not hidden in the back/forward cache, frozen or leaving.
  let hash = null;            // The build the page shows.
  let arrived = null;         // When the last build's frame reached the page (epoch ms).
  let reloadedFrom = readReloadNote();
  let errors = { start: 0, count: 0, seen: new Set() };

  function post(report) {
    if (!connected) return false;
    try { send(JSON.stringify(Object.assign({ page: id, url: url() }, report))); } catch (_) { /* Never the page's problem. */ }
    return true;
  }

  function hello() {
    if (!here) return;
    const said = post({ type: 'hello', hash, name, previous: reloadedFrom ? reloadedFrom.previous : undefined });
    if (said && reloadedFrom) {
      if (hash) post({ type: 'outcome', outcome: 'reloaded', hash, ms: Math.max(0, now() - reloadedFrom.arrived) });
      reloadedFrom = null;
    }
  }

  // The page before a reload left this; it is read once, by the next load of the page.
  function readReloadNote() {
    try {
      const note = JSON.parse(storage.getItem(RELOAD_KEY) || 'null');
      storage.removeItem(RELOAD_KEY);
      if (note && typeof note.previous === 'string' && now() - note.arrived < RELOAD_FRESH_MS) return note;
    } catch (_) { /* No sessionStorage here: the reload counts as a new page. */ }
    return null;
  }

  return {
    // The stream opened or dropped (a reconnect says hello again: the daemon may be new).
    connected(value) {
      const was = connected;
      connected = value;
      if (value && !was) hello();
    },
    // The page shows this build (at boot, and after each update it applied).
    shows(value) { hash = value; },
    // A build's frame reached the page: what it does with it is timed from here.
    arrived() { arrived = now(); },
    // applied, failed (with `error`) or unchanged, for build `build`.
    outcome(outcome, build, error) {
      if (outcome !== 'failed') hash = build;
      const ms = arrived === null ? undefined : Math.max(0, now() - arrived);
      later(() => post({ type: 'outcome', outcome, hash: build, ms, error: error ? String(error).slice(0, 8192) : undefined }));
    },
    // An uncaught error or rejection; repeats and floods are left out.
    pageError(rejection, message, stack) {
      const t = now();
      if (t - errors.start > ERROR_WINDOW_MS) errors = { start: t, count: 0, seen: new Set() };
      const key = message + '\n' + stack;
      if (errors.count >= ERRORS_PER_WINDOW || errors.seen.has(key)) return;
      errors.count += 1;
      errors.seen.add(key);
      post({ type: 'error', kind: rejection ? 'rejection' : 'error', message: String(message).slice(0, 4096),
        stack: stack ? String(stack).slice(0, 8192) : undefined });
    },
    // The page reloads for a build: the next load of it takes this one's place.
    leaving() {
      try { storage.setItem(RELOAD_KEY, JSON.stringify({ previous: id, arrived: arrived === null ? now() : arrived })); } catch (_) { /* See readReloadNote. */ }
      post({ type: 'bye', reloading: true });
      here = false;
    },
    // Hidden (back/forward cache, frozen) or closed: not open, until shown again.
    gone() {
      if (!here) return;
      post({ type: 'bye' });
      here = false;
    },
    shown() {
      if (here) return;
      here = true;
      hello();
    },
    // Every HELLO_EVERY_MS while open.
    tick() { hello(); },
  };
}

// ?report=false: the page tells the daemon nothing.
function silentReporter() {
  const nothing = () => {};
  return { connected: nothing, shows: nothing, arrived: nothing, outcome: nothing, pageError: nothing,
    leaving: nothing, gone: nothing, shown: nothing, tick: nothing };
}

// The daemon's report URL, and a sender that never waits: a beacon, else a fetch
// that outlives the page. Both post text/plain, which needs no CORS preflight.
function reportSender(streamUrl) {
  return postTo(streamUrl + '/report');
}

// A sender of JSON to `target` that never waits (reports, ghost sync's actions).
function postTo(target) {
  return (json) => {
    if (typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(target, json)) return;
    if (typeof fetch === 'function') {
      fetch(target, { method: 'POST', body: json, keepalive: true, mode: 'no-cors', headers: { 'Content-Type': 'text/plain' } })
        .catch(() => {});
    }
  };
}
