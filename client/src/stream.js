// The stream's browser side: carries out the decisions of connection.js and share.js
// with a real EventSource and timers, Web Locks, a BroadcastChannel and the page's
// lifecycle events. No decision is made here.

const EVENT_SOURCE_CLOSED = 2; // EventSource.CLOSED: the browser gave up on the stream.

// Carries out the sharing's actions (share.js): the lock with navigator.locks, the
// channel with a BroadcastChannel, the stream with runConnection, its one timer, and
// the page's lifecycle events in (a page in the back/forward cache counts as frozen).
function runShare(share, { name, shared, connection, deliver, setConnected, log }) {
  const channel = shared ? new BroadcastChannel(name) : null;
  let stream = null;  // runConnection's handle while this tab holds the stream.
  let release = null; // Hands the held lock back.
  let cancel = null;  // Withdraws a lock request still waiting.
  let timer = null;   // The one timer share.js may set.

  function dispatch(event) {
    for (const action of share.handle(event)) carryOut(action);
  }

  function carryOut(action) {
    switch (action.do) {
      case 'openStream': stream = openStream(); break;
      case 'closeStream': stream.stop(); stream = null; break;
      case 'post': channel.postMessage(action.message); break;
      case 'requestLock': requestLock(); break;
      case 'releaseLock': release(); release = null; break;
      case 'cancelLock': cancel(); cancel = null; break;
      case 'deliver': deliver(action.payload); break;
      case 'connected': setConnected(action.value); break;
      case 'setTimer': clearTimeout(timer); timer = setTimeout(() => { timer = null; dispatch({ type: 'timerFired' }); }, action.ms); break;
      case 'clearTimer': clearTimeout(timer); timer = null; break;
      default: throw new Error('hmr: an unknown sharing action ' + JSON.stringify(action.do));
    }
  }

  function openStream() {
    return runConnection(connection(), {
      deliver: (payload, id) => dispatch({ type: 'streamFrame', id, payload }),
      setConnected: (value) => dispatch({ type: 'streamConnected', value }),
      urlFor: (url) => resumeUrl(url, share.lastId),
      log,
    });
  }

  function requestLock() {
    const controller = new AbortController();
    cancel = () => controller.abort();
    navigator.locks.request(name, { signal: controller.signal }, () => new Promise((resolve) => {
      cancel = null;
      release = resolve;
      dispatch({ type: 'lockGranted' });
    })).catch((error) => {
      if (error && error.name === 'AbortError') return; // Withdrawn on freeze: nothing was held.
      cancel = null;
      dispatch({ type: 'lockRefused' });
    });
  }

  if (shared) {
    channel.onmessage = (event) => dispatch({ type: 'message', message: event.data });
    document.addEventListener('freeze', () => dispatch({ type: 'freeze' }));
    document.addEventListener('resume', () => dispatch({ type: 'resume' }));
    window.addEventListener('pagehide', (event) => { if (event.persisted) dispatch({ type: 'freeze' }); });
    window.addEventListener('pageshow', (event) => { if (event.persisted) dispatch({ type: 'resume' }); });
  }
  dispatch({ type: 'start' });
}

// Turns the EventSource's and the timers' callbacks into the connection's events,
// and carries out the actions it returns. Each stream it opens resumes from what the
// page delivered last (`urlFor`), as a stream taken over from another tab must.
function runConnection(connection, { deliver, setConnected, log, urlFor }) {
  const timers = new Map(); // The event a timer will send → its setTimeout id.
  let source = null;
  let stopped = false;      // The tab let the stream go: nothing of it may act after.

  function dispatch(event) {
    for (const action of connection.handle(event, clock())) {
      if (stopped) return;
      carryOut(action);
    }
  }

  function carryOut(action) {
    switch (action.do) {
      case 'open': source = openStream(urlFor(action.url), action.stream); break;
      case 'close': source.close(); source = null; break;
      case 'setTimer': setTimer(action.fires, action.at); break;
      case 'clearTimer': clearTimeout(timers.get(action.fires)); timers.delete(action.fires); break;
      case 'deliver': deliver(action.payload, action.id); break;
      case 'connected': setConnected(action.value); break;
      case 'log': log.info(...action.args); break;
      default: throw new Error('hmr: an unknown connection action ' + JSON.stringify(action.do));
    }
  }

  function setTimer(fires, at) {
    clearTimeout(timers.get(fires));
    const fire = () => { timers.delete(fires); dispatch({ type: fires }); };
    timers.set(fires, setTimeout(fire, Math.max(0, Math.ceil(at - clock()))));
  }

  function openStream(url, stream) {
    const es = new EventSource(url);
    es.onopen = () => dispatch({ type: 'opened', stream });
    es.onmessage = (event) => dispatch({ type: 'message', stream, data: event.data, id: event.lastEventId });
    es.onerror = () => dispatch({ type: 'error', stream, closed: es.readyState === EVENT_SOURCE_CLOSED });
    return es;
  }

  dispatch({ type: 'start' });
  return {
    stop() {
      stopped = true;
      if (source) source.close();
      source = null;
      for (const id of timers.values()) clearTimeout(id);
      timers.clear();
    },
  };
}

// Monotonic where the browser has it: a wall clock set back would stall the watchdog.
function clock() {
  return typeof performance !== 'undefined' && typeof performance.now === 'function' ? performance.now() : Date.now();
}
