// The connection to the daemon's event stream as a state machine: events in (start,
// the stream opened, a message with its id, an error, a timer fired) with the time on the
// caller's clock in ms; actions out (open or close the stream, set or clear a
// timer, deliver a payload, say whether we are connected, log). It touches no
// EventSource and reads no clock, so every reconnect schedule is tested with numbers.

const HEARTBEAT = '\u{1F493}';    // The webpack-hot-middleware heartbeat; not JSON.
const BACKOFF_START_MS = 500;     // First reopen delay after the browser gives up on the stream.
const BACKOFF_CAP_MS = 10000;     // Delays double up to this, so a restarting daemon is found quickly.
const BACKOFF_JITTER = 0.2;       // ±20 %, so many tabs do not reconnect in lockstep.

// A frame's data: a payload object, 'heartbeat', or null for anything unreadable.
function parseFrame(data) {
  if (String(data).trim() === HEARTBEAT) return 'heartbeat';
  try {
    const payload = JSON.parse(data);
    return payload && typeof payload === 'object' && typeof payload.action === 'string' ? payload : null;
  } catch (_) {
    return null;
  }
}

// Attempt 0 waits about 500 ms, then 1 s, 2 s … up to 10 s, each ±20 %.
function backoffDelay(attempt, random) {
  const base = Math.min(BACKOFF_START_MS * 2 ** attempt, BACKOFF_CAP_MS);
  return Math.round(base * (1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random()));
}

// The browser retries a dropped stream by itself (readyState CONNECTING); we step
// in only when it gives up (CLOSED: a 204, 404, 503 or a wrong type) or when
// nothing, not even a heartbeat, was heard for `timeout` ms. The states:
//
//   idle         not started
//   connecting   { stream, retries, watchdogAt }  opening, or the browser is retrying
//   open         { stream, watchdogAt }           connected
//   waiting      { retries, reopenAt }            no stream; the next opens at reopenAt
//
// `retries` counts the backoff delays taken since the stream was last open. The
// watchdog is set again on every message, from the message's own callback: set
// from a timer's callback instead, it would form a chain of timers, which Chrome
// runs only once a minute in a tab hidden for five minutes.
function createConnection({ url, timeout, random }) {
  let state = { name: 'idle' };
  let streams = 0; // Streams opened so far; their events carry their number.

  function handle(event, now) {
    switch (event.type) {
      case 'start': return start(now);
      case 'opened': return fromCurrentStream(event) ? opened(now) : [];
      case 'message': return fromCurrentStream(event) ? message(event.data, event.id, now) : [];
      case 'error': return fromCurrentStream(event) ? error(event.closed, now) : [];
      case 'watchdogFired': return watchdogFired(now);
      case 'reopenTimerFired': return reopenTimerFired(now);
      default: return bug('an unknown event ' + JSON.stringify(event.type));
    }
  }

  // A closed stream's late events mean nothing now; one from a stream never opened is a bug.
  function fromCurrentStream(event) {
    if (!(event.stream >= 1 && event.stream <= streams)) bug('an event from stream ' + event.stream + ', never opened');
    return state.stream === event.stream;
  }

  function start(now) {
    if (state.name !== 'idle') return bug('started twice');
    return openStream(0, now);
  }

  function opened(now) {
    if (state.name !== 'connecting') return bug('opened while already open');
    state = { name: 'open', stream: state.stream, watchdogAt: now + timeout };
    return [{ do: 'connected', value: true }, { do: 'log', args: ['connected to', url] }, watchdog()];
  }

  // Browsers announce the open first; a message without it (a polyfill's) still counts.
  // The frame's id goes with its payload: tabs that share the stream order frames by it.
  function message(data, id, now) {
    state = { ...state, watchdogAt: now + timeout };
    const payload = parseFrame(data);
    if (payload === null || payload === 'heartbeat') return [watchdog()];
    return [watchdog(), { do: 'deliver', id: id || '', payload }];
  }

  function error(closed, now) {
    const actions = state.name === 'open' ?
      [{ do: 'log', args: ['disconnected; retrying'] }, { do: 'connected', value: false }] : [];
    if (closed) return actions.concat({ do: 'clearTimer', fires: 'watchdogFired' }, reopenLater(now));
    state = { name: 'connecting', stream: state.stream, retries: retriesSoFar(), watchdogAt: state.watchdogAt };
    return actions;
  }

  function watchdogFired(now) {
    if (state.name !== 'connecting' && state.name !== 'open') return bug('the watchdog fired without a stream');
    if (now < state.watchdogAt) return [watchdog()]; // A timer rounded down fired early.
    const actions = state.name === 'open' ?
      [{ do: 'log', args: ['nothing heard for', timeout, 'ms; reconnecting'] }, { do: 'connected', value: false }] : [];
    return actions.concat(reopenLater(now));
  }

  function reopenTimerFired(now) {
    if (state.name !== 'waiting') return bug('the reopen timer fired with a stream');
    return openStream(state.retries, now);
  }

  function openStream(retries, now) {
    streams += 1;
    state = { name: 'connecting', stream: streams, retries, watchdogAt: now + timeout };
    return [{ do: 'open', stream: streams, url }, watchdog()];
  }

  function watchdog() {
    return { do: 'setTimer', fires: 'watchdogFired', at: state.watchdogAt };
  }

  function reopenLater(now) {
    const retries = retriesSoFar();
    const stream = state.stream;
    state = { name: 'waiting', retries: retries + 1, reopenAt: now + backoffDelay(retries, random) };
    return [{ do: 'close', stream }, { do: 'setTimer', fires: 'reopenTimerFired', at: state.reopenAt }];
  }

  // A stream that opened starts the backoff over.
  function retriesSoFar() {
    return state.name === 'open' ? 0 : state.retries;
  }

  // Loud, and the state is left as it was.
  function bug(what) {
    throw new Error('hmr: connection bug: ' + what + ' (state: ' + state.name + ')');
  }

  return { handle, get state() { return state; } };
}
