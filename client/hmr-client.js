/*
 * hmr-client.js: the browser side of hmrd. A page includes it with
 * <script src="http://127.0.0.1:5757/__hmr/client.js"></script>; it opens the
 * daemon's Server-Sent Events stream (found from its own src), and on every
 * build keeps the page current: changed stylesheets are swapped in place without
 * a flash, anything else the page may use reloads it, and build errors are logged
 * while nothing is applied. The daemon stamps the build the page was loaded with
 * into BOOT below. The file is a classic script wrapped in one function so that
 * including it twice declares nothing twice; `hmrLogic()` holds the pure rules
 * (node tests it), `boot()` is the browser part and only runs in a browser.
 */
(function () {
  'use strict';

  const BOOT = /*HMR_BOOT*/null;

  // Tunables.
  const DEFAULT_TIMEOUT_MS = 25000; // No frame for this long (heartbeats count): the stream is dead.
  const BACKOFF_START_MS = 500;     // First reopen delay after the browser gives up on the stream.
  const BACKOFF_CAP_MS = 10000;     // Delays double up to this, so a restarting daemon is found quickly.
  const BACKOFF_JITTER = 0.2;       // ±20 %, so many tabs do not reconnect in lockstep.
  const HEARTBEAT = '\u{1F493}';    // The webpack-hot-middleware heartbeat; not JSON.
  const CACHE_BUST_PARAM = 'hmr';

  // The pure rules: no window, no document, no clock. Everything is an argument.
  function hmrLogic() {
    function parseBool(value, fallback) {
      if (value === null) return fallback;
      return !/^(false|0|no|off)$/i.test(value.trim());
    }

    // Options come from the script's query string, e.g. "?reload=false&name=app".
    function parseOptions(query) {
      const params = new URLSearchParams(query || '');
      const timeout = Number(params.get('timeout'));
      return {
        reload: parseBool(params.get('reload'), true),
        overlay: parseBool(params.get('overlay'), true),
        log: parseBool(params.get('log'), true),
        name: params.get('name'), // null: handle every bundle.
        timeout: params.has('timeout') && Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS,
      };
    }

    // "http://127.0.0.1:5757/__hmr/client.js?log=0" → stream URL and query.
    function locateDaemon(scriptSrc) {
      const url = new URL(scriptSrc);
      const query = url.search;
      url.search = '';
      url.hash = '';
      return { streamUrl: url.href.replace(/\/client\.js$/, ''), query };
    }

    // A path-only public path belongs to the page's origin; an absolute URL is used as is.
    function publicBase(publicPath, pageUrl) {
      const base = new URL(publicPath || '/', pageUrl);
      base.search = '';
      base.hash = '';
      return base.href.endsWith('/') ? base.href : base.href + '/';
    }

    function moduleUrl(path, publicPath, pageUrl) {
      const segments = String(path).replace(/^\/+/, '').split('/');
      return canonicalUrl(publicBase(publicPath, pageUrl) + segments.map(encodeURIComponent).join('/'));
    }

    function decodeSegment(segment) {
      try { return decodeURIComponent(segment); } catch (_) { return segment; }
    }

    // One spelling per resource: resolved, query and fragment dropped, and every path
    // segment encoded the way moduleUrl encodes it ("a+b.css" and "a%2Bb.css" agree).
    function canonicalUrl(href, baseUrl) {
      let url;
      try { url = new URL(href, baseUrl); } catch (_) { return null; }
      const path = url.pathname.split('/').map((s) => encodeURIComponent(decodeSegment(s))).join('/');
      return url.origin !== 'null' ? url.origin + path : url.protocol + '//' + url.host + path;
    }

    function modulePathFromUrl(href, publicPath, pageUrl) {
      const url = canonicalUrl(href, pageUrl);
      const base = canonicalUrl(publicBase(publicPath, pageUrl));
      if (url === null || !url.startsWith(base) || url.length === base.length) return null;
      return url.slice(base.length).split('/').map(decodeSegment).join('/');
    }

    // The canonical URL a <link> loads if it is a stylesheet with an href, else null.
    function stylesheetKey(link, baseUrl) {
      const rel = String(link.rel || '').toLowerCase().split(/\s+/);
      if (!rel.includes('stylesheet') || !link.href) return null;
      return canonicalUrl(link.href, baseUrl);
    }

    function diffModules(oldMap, newMap) {
      const before = oldMap || {};
      const after = newMap || {};
      const has = (map, key) => Object.prototype.hasOwnProperty.call(map, key);
      const added = Object.keys(after).filter((p) => !has(before, p)).sort();
      const removed = Object.keys(before).filter((p) => !has(after, p)).sort();
      const updated = Object.keys(after).filter((p) => has(before, p) && before[p] !== after[p]).sort();
      return { added, removed, updated };
    }

    // Decide what a change set means for this page. Removed files are left alone:
    // a page that used one also changed its HTML, which reloads it.
    function planUpdate(diff, linkedUrls, toUrl) {
      const plan = { swapCss: [], reload: false, reloadFor: [] };
      const changed = diff.added.concat(diff.updated).sort();
      for (const path of changed) {
        if (linkedUrls.has(toUrl(path))) plan.swapCss.push(path);
        else if (!/\.css$/i.test(path)) plan.reloadFor.push(path); // A stylesheet nobody links is ignored.
      }
      plan.reload = plan.reloadFor.length > 0;
      return plan;
    }

    // The href with ?hmr=<hash> replacing any earlier one; other params are kept as written.
    function cacheBustUrl(href, hash, baseUrl) {
      const url = new URL(href, baseUrl);
      const kept = url.search.replace(/^\?/, '').split('&')
        .filter((part) => part !== '' && decodeSegment(part.split('=')[0]) !== CACHE_BUST_PARAM);
      kept.push(CACHE_BUST_PARAM + '=' + encodeURIComponent(hash));
      url.search = '?' + kept.join('&');
      return url.href;
    }

    // Attempt 0 waits about 500 ms, then 1 s, 2 s … up to 10 s, each ±20 %.
    function backoffDelay(attempt, random) {
      const base = Math.min(BACKOFF_START_MS * 2 ** attempt, BACKOFF_CAP_MS);
      return Math.round(base * (1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random()));
    }

    function createBackoff(random) {
      let attempt = 0;
      return {
        next() { return backoffDelay(attempt++, random); },
        reset() { attempt = 0; },
      };
    }

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

    return {
      parseOptions, locateDaemon, publicBase, moduleUrl, modulePathFromUrl, canonicalUrl,
      stylesheetKey, diffModules, planUpdate, cacheBustUrl, backoffDelay, createBackoff, parseFrame,
    };
  }

  const api = hmrLogic();

  // The browser part: one EventSource, a watchdog, and the DOM updates.
  function boot() {
    if (typeof window === 'undefined' || typeof document === 'undefined') return;
    if (window.__hmrClient) return; // Included twice: the first copy owns the connection.

    // The daemon is wherever this script came from; an inlined copy (no src) uses
    // the stamped stream path on the page's own origin.
    const stamped = BOOT || {};
    const current = document.currentScript;
    const script = current && current.src ? current :
      Array.from(document.querySelectorAll('script[src]')).reverse().find((s) => /\/client\.js(\?|#|$)/.test(s.src));
    const src = script ? script.src : stamped.path && new URL(stamped.path + '/client.js', location.href).href;
    if (!src) { console.warn('[hmr] cannot find my own <script src>; hot updates are off.'); return; }
    const daemon = api.locateDaemon(src);
    const options = api.parseOptions(daemon.query);
    const publicPath = stamped.publicPath || '/';

    const client = {
      hash: stamped.hash || null,     // The build the page shows; null until the first sync.
      modules: stamped.modules || {},
      state: 'idle',                  // 'idle' | 'building' | 'error'
      connected: false,
      lastErrors: '',
    };
    window.__hmrClient = client;
    window.hmr = Object.assign(window.hmr || {}, {
      status: () => ({ hash: client.hash, state: client.state, connected: client.connected }),
    });

    if (typeof EventSource === 'undefined') {
      console.warn('[hmr] this browser has no EventSource; hot updates are off.');
      return;
    }

    const log = (...args) => { if (options.log) console.log('[hmr]', ...args); };
    const pageUrl = () => location.href;
    const toUrl = (path) => api.moduleUrl(path, publicPath, pageUrl());

    // Stylesheet links by canonical URL, skipping ones already on their way out.
    function linkedStylesheets() {
      const byUrl = new Map();
      for (const link of document.querySelectorAll('link')) {
        const key = link.__hmrLeaving ? null : api.stylesheetKey(link, document.baseURI);
        if (key) byUrl.set(key, (byUrl.get(key) || []).concat(link));
      }
      return byUrl;
    }

    // Insert the new <link> after the old one and drop the old only once the new
    // one has loaded (or failed), so the page is never unstyled in between.
    function swapStylesheet(old, hash) {
      const next = old.cloneNode(false);
      next.href = api.cacheBustUrl(old.href, hash, document.baseURI);
      next.__hmrReplaces = [old].concat(old.__hmrReplaces || []);
      old.__hmrLeaving = true;
      const done = () => {
        next.removeEventListener('load', done);
        next.removeEventListener('error', done);
        for (const stale of next.__hmrReplaces) if (stale.parentNode) stale.parentNode.removeChild(stale);
        next.__hmrReplaces = [];
      };
      next.addEventListener('load', done);
      next.addEventListener('error', done);
      old.parentNode.insertBefore(next, old.nextSibling);
    }

    function applyBuild(payload) {
      const diff = api.diffModules(client.modules, payload.modules);
      const links = linkedStylesheets();
      const plan = api.planUpdate(diff, new Set(links.keys()), toUrl);
      if (plan.reload && options.reload) {
        log('reloading for', plan.reloadFor.join(', '));
        location.reload();
        return false;
      }
      for (const path of plan.swapCss) {
        for (const link of links.get(toUrl(path))) swapStylesheet(link, payload.hash);
      }
      if (plan.swapCss.length) log('updated', plan.swapCss.join(', '));
      if (plan.reload) log('a reload is needed for', plan.reloadFor.join(', '), '(reload=false)');
      if (!plan.swapCss.length && !plan.reload) log('nothing this page uses changed');
      return true;
    }

    function onBuild(payload) {
      const errors = Array.isArray(payload.errors) ? payload.errors : [];
      const warnings = Array.isArray(payload.warnings) ? payload.warnings : [];
      if (client.hash === null && typeof payload.hash === 'string') { // Loaded raw: the first state we hear of is the page's.
        client.hash = payload.hash;
        client.modules = payload.modules || {};
      }
      if (errors.length) {
        client.state = 'error';
        const text = errors.join('\n');
        if (text !== client.lastErrors) console.error('[hmr] build failed; the page is not updated:\n' + text);
        client.lastErrors = text;
        return;
      }
      client.state = 'idle';
      client.lastErrors = '';
      if (warnings.length) log('warnings:\n' + warnings.join('\n'));
      if (payload.hash === client.hash) {
        if (payload.action === 'built') log('up to date');
        return;
      }
      if (applyBuild(payload)) {
        client.hash = payload.hash;
        client.modules = payload.modules || {};
      }
    }

    const handlers = {
      building(payload) {
        client.state = 'building';
        const trigger = Array.isArray(payload.trigger) ? payload.trigger : [];
        const shown = trigger.slice(0, 3).join(', ') + (trigger.length > 3 ? ` and ${trigger.length - 3} more` : '');
        log('rebuilding…', shown);
      },
      built: onBuild,
      sync: onBuild,
    };

    function onFrame(data) {
      const payload = api.parseFrame(data);
      if (payload === null || payload === 'heartbeat') return;
      if (options.name !== null && payload.name !== options.name) return;
      const handler = Object.prototype.hasOwnProperty.call(handlers, payload.action) && handlers[payload.action];
      if (handler) handler(payload); // Unknown actions are ignored for now.
    }

    // The connection: the browser retries network errors itself; we reopen when
    // it gives up (CLOSED) or when the watchdog hears nothing for `timeout`.
    const backoff = api.createBackoff(Math.random);
    let source = null;
    let watchdog = null;
    let reopenTimer = null;

    function armWatchdog() {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        if (client.connected) log('nothing heard for', options.timeout, 'ms; reconnecting');
        reopenLater();
      }, options.timeout);
    }

    function reopenLater() {
      if (source) source.close();
      source = null;
      client.connected = false;
      clearTimeout(watchdog);
      if (reopenTimer !== null) return;
      const delay = backoff.next();
      reopenTimer = setTimeout(() => { reopenTimer = null; connect(); }, delay);
    }

    function connect() {
      const es = new EventSource(daemon.streamUrl);
      source = es;
      armWatchdog();
      es.onopen = () => {
        client.connected = true;
        backoff.reset();
        log('connected to', daemon.streamUrl);
        armWatchdog();
      };
      es.onmessage = (event) => {
        armWatchdog();
        try { onFrame(event.data); } catch (error) { console.error('[hmr] could not apply an update:', error); }
      };
      es.onerror = () => {
        if (source !== es) return;
        if (client.connected) log('disconnected; retrying');
        client.connected = false;
        if (es.readyState === 2 /* CLOSED: the browser gave up */) reopenLater();
      };
    }

    connect();
  }

  if (typeof module === 'object' && module.exports) module.exports = api;
  else boot();
})();
