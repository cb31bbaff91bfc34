// Starts the client in a browser and wires the parts together: window.hmr first,
// then the page's parts, then the stream, shared with the browser's other tabs
// (stream.js carries it out). Every decision is made in the other files.

const RESOURCE_BUFFER_SIZE = 10000;
const REPORT_DELAY_MS = 150; // An outcome waits this long: the other tabs' updates first, then the reports. // Resource entries kept: a page of 2,000 modules overflows the default 250.

function boot() {
  if (typeof window === 'undefined' || typeof document === 'undefined') return;
  if (window.__hmrClient) return; // Included twice: the first copy owns the connection.
  // Before module scripts load: which modules the page runs is read from these entries.
  if (typeof performance !== 'undefined' && typeof performance.setResourceTimingBufferSize === 'function') {
    performance.setResourceTimingBufferSize(RESOURCE_BUFFER_SIZE);
  }

  const stamped = BOOT || {};
  const script = findOwnScript(stamped);
  const daemon = script ? locateDaemon(script) : null;
  const options = parseOptions(daemon ? daemon.query : '', stamped.heartbeat);
  const publicPath = stamped.publicPath || '/';
  const log = createLog(options.log);

  const client = {
    hash: stamped.hash || null,     // The build the page shows; null until the first state is heard.
    modules: stamped.modules || {},
    state: 'idle',                  // 'idle' | 'building' | 'error'
    connected: false,
    lastErrors: '',
  };
  window.__hmrClient = client;

  const toUrl = (path) => moduleUrl(path, publicPath, location.href);
  const pathOf = memoizePaths((url, pageUrl) => modulePathFromUrl(url, publicPath, pageUrl), () => location.href);
  const toPath = (url) => (url === null || url === undefined ? null : pathOf(url));
  const modules = createModules((spec) => acceptedPath(spec, publicPath, location.href), toUrl, log);
  const listeners = createListeners(log);

  // The page-facing API exists before anything can fail, so module code calling
  // hmr.accept never throws, even where hot updates are off.
  window.hmr = Object.assign(window.hmr || {}, {
    accept: modules.accept,
    dispose: modules.dispose,
    data: modules.data,
    on: listeners.on,
    status: () => ({ hash: client.hash, state: client.state, connected: client.connected }),
  });
  // The first line of every module the daemon serves with import.meta.hot calls this.
  const hot = createHotRuntime({ toKey: toPath, log, now: clock });
  window.__hmrHot = hot.context;

  if (!daemon) { log.warn('cannot find my own <script src>; hot updates are off.'); return; }
  if (typeof EventSource === 'undefined') { log.warn('this browser has no EventSource; hot updates are off.'); return; }

  const pageId = Math.random().toString(36).slice(2, 14); // This load of the page, in reports and ghost sync.
  const report = startReports(daemon.streamUrl, options, pageId, client.hash);
  const reloadPage = () => { report.leaving(); location.reload(); };

  const overlay = createOverlay(options.overlay);
  const scanner = createPageScanner(toPath);
  const swapper = createSwapper(scanner, log);
  const esm = createEsm({
    runtime: hot,
    fetchGraph: graphFetcher(daemon.streamUrl),
    importModule: (url) => import(url),
    preloadModules,
    baseUrl: () => publicBase(publicPath, location.href),
    page: watchPageModules(toPath),
    currentHash: () => client.hash,
    canReload: options.reload,
    reloadPage,
    log,
    now: clock,
  });
  const events = { emit(payload) { listeners.emit(payload); hot.receive(payload); } };
  const html = createHtmlUpdater({ log, clientUrl: script, morph: options.html !== 'reload' });
  const ghost = startGhost(stamped, options, daemon.streamUrl, pageId);
  const refetch = stamped.proxy ? startRefetch(html, log) : null;
  const updates = createUpdates({ client, options, publicPath, log, toUrl, modules, listeners: events, overlay, scanner,
    swapper, esm, html, report, reloadPage, ghost, refetch });
  startStream(daemon.streamUrl, options, { client, updates, report, ghost, log });
}

// What the page tells the daemon (report.js), watching its own life; nothing with ?report=false.
function startReports(streamUrl, options, pageId, hash) {
  const report = options.report ? createReporter({
    id: pageId,
    url: () => location.href,
    name: options.name,
    send: reportSender(streamUrl),
    now: epochNow,
    storage: sessionStore(),
    later: (fn) => setTimeout(fn, REPORT_DELAY_MS),
  }) : silentReporter();
  report.shows(hash);
  watchPage(report);
  return report;
}

// Ghost sync (ghost.js), only when hmrd was started with --sync and not on a page with ?sync=false.
function startGhost(stamped, options, streamUrl, pageId) {
  if (!stamped.sync || !options.sync) return null;
  const ghost = createGhost({
    pageId, send: inOrderSender(streamUrl + '/sync'), now: clock, storage: sessionStore(), navigationType: navigationType(),
  });
  ghost.start();
  return ghost;
}

// Behind hmrd --proxy: the page asks the backend for itself again (refetch.js).
function startRefetch(html, log) {
  return createRefetcher({
    html,
    fetchPage: (url) => fetch(url, { cache: 'no-store', credentials: 'same-origin' }),
    pageUrl: () => location.href,
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: clock,
    log,
  });
}

// The event stream, shared with the browser's other tabs where it can be (stream.js).
function startStream(streamUrl, options, { client, updates, report, ghost, log }) {
  // Without Web Locks (outside a secure context, or an old browser) every page has its own stream.
  const canShare = typeof navigator !== 'undefined' && Boolean(navigator.locks) &&
    typeof navigator.locks.request === 'function' && typeof BroadcastChannel === 'function';
  const shared = options.shared && canShare;
  const share = createShare({ tab: Math.random().toString(36).slice(2, 12), shared });
  Object.defineProperty(client, 'role', { get: () => share.role, enumerable: true }); // For tests and curious people.
  runShare(share, {
    name: shareName(streamUrl),
    shared,
    connection: () => createConnection({ url: streamUrl, timeout: options.timeout, random: Math.random }),
    deliver(payload) {
      try { updates.receive(payload); } catch (error) { log.error('could not apply an update:', error); }
    },
    setConnected(value) {
      client.connected = value;
      report.connected(value);
      if (ghost) ghost.connected(value);
    },
    log,
  });
}

// The page's life and its uncaught errors, told to the reporter.
function watchPage(report) {
  window.addEventListener('pagehide', () => report.gone());
  window.addEventListener('pageshow', (event) => { if (event.persisted) report.shown(); });
  document.addEventListener('freeze', () => report.gone());
  document.addEventListener('resume', () => report.shown());
  window.addEventListener('error', (event) => {
    if (typeof event.message !== 'string') return; // A resource that failed to load, not a script error.
    const stack = event.error && event.error.stack ? String(event.error.stack)
      : event.filename ? 'at ' + event.filename + ':' + event.lineno + ':' + event.colno : undefined;
    report.pageError(false, event.message, stack);
  });
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    const message = reason && typeof reason === 'object' && 'message' in reason ? String(reason.message) : String(reason);
    report.pageError(true, message, reason && reason.stack ? String(reason.stack) : undefined);
  });
  setInterval(() => report.tick(), HELLO_EVERY_MS);
}

// Epoch ms, to the fraction where the browser has it: a reload's note is read by the next page.
function epochNow() {
  return typeof performance !== 'undefined' && performance.timeOrigin ? performance.timeOrigin + performance.now() : Date.now();
}

// How this page was loaded: 'navigate', 'reload' or 'back_forward'.
function navigationType() {
  try {
    const entry = performance.getEntriesByType('navigation')[0];
    return entry ? entry.type : 'navigate';
  } catch (_) { return 'navigate'; }
}

// sessionStorage where the page may use it (a sandboxed frame may not even look).
function sessionStore() {
  try { return window.sessionStorage || null; } catch (_) { return null; }
}

// <link rel=modulepreload> for each URL, gone once it has done its work.
function preloadModules(urls) {
  for (const url of urls) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = url;
    link.onload = link.onerror = () => link.remove();
    (document.head || document.documentElement).appendChild(link);
  }
}

// The daemon is wherever this script came from; an inlined copy (no src) uses the
// stamped stream path on the page's own origin.
function findOwnScript(stamped) {
  const current = document.currentScript;
  if (current && current.src) return current.src;
  const scripts = Array.from(document.querySelectorAll('script[src]')).reverse();
  const found = scripts.find((s) => /\/client\.js(\?|#|$)/.test(s.src));
  if (found) return found.src;
  return stamped.path ? new URL(stamped.path + '/client.js', location.href).href : null;
}

// Under node (the tests) the pure parts are exported and nothing starts.
if (typeof module === 'object' && module.exports) {
  module.exports = {
    parseOptions, locateDaemon, publicBase, moduleUrl, modulePathFromUrl, memoizePaths, canonicalUrl, pagePaths,
    acceptedPath, stylesheetKey, diffModules, planUpdate, cacheBustUrl, rewriteCssUrls, rewriteSrcset,
    escapeHtml, ansiToHtml, backoffDelay, parseFrame, summarize, createConnection,
    shareName, resumeUrl, isAfter, createShare, createReporter, ghostPath, scrollShare, sitePath, createGhost,
    isModuleKey, readGraph, applyGraphDelta, versionedUrl, specifierKey, propagateUpdate, prunedModules, createHotRuntime, createEsm,
    isCodeScript, scriptSignature, elementKey, matchChildren, attributeChanges, createMorph,
    pageHtmlOnly, pageHtmlUrl, withoutBust, keepsBustedUrl, whyNotPatchable, isHtmlType,
    unusedChanges, isBackendDown, refetchProblem, createRefetcher,
  };
} else {
  boot();
}
