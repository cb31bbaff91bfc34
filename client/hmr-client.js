/*
 * hmr-client.js: the browser side of hmrd, served at <path>/client.js. It opens the
 * daemon's event stream (found from its own src) and keeps the page current after
 * every build. Assembled from client/src/ by client/assemble.js: edit those files.
 */
(function () {
  'use strict';

  const BOOT = /*HMR_BOOT*/null;

  // --- src/rules.js
  // The pure rules of an update: the client's options, what changed between two
  // module maps, and what that means for this page (swap, re-import, reload or
  // nothing). No window, no document, no clock: everything is an argument.

  const DEFAULT_TIMEOUT_MS = 25000; // Watchdog when the daemon did not say its heartbeat (2.5 × 10 s).
  const WATCHDOG_HEARTBEATS = 2.5;  // No frame for this many heartbeats: the stream is dead.

  function parseBool(value, fallback) {
    if (value === null) return fallback;
    return !/^(false|0|no|off)$/i.test(value.trim());
  }

  // Options come from the script's query string, e.g. "?reload=false&name=app".
  // The watchdog defaults to 2.5 heartbeats when the daemon told us its heartbeat.
  function parseOptions(query, heartbeatMs) {
    const params = new URLSearchParams(query || '');
    const timeout = Number(params.get('timeout'));
    const fallback = Number.isFinite(heartbeatMs) && heartbeatMs > 0 ?
      Math.round(heartbeatMs * WATCHDOG_HEARTBEATS) : DEFAULT_TIMEOUT_MS;
    return {
      reload: parseBool(params.get('reload'), true),
      overlay: parseBool(params.get('overlay'), true),
      log: parseBool(params.get('log'), true),
      name: params.get('name'), // null: handle every bundle.
      timeout: params.has('timeout') && Number.isFinite(timeout) && timeout > 0 ? timeout : fallback,
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

  function diffModules(oldMap, newMap) {
    const before = oldMap || {};
    const after = newMap || {};
    const has = (map, key) => Object.prototype.hasOwnProperty.call(map, key);
    const added = Object.keys(after).filter((p) => !has(before, p)).sort();
    const removed = Object.keys(before).filter((p) => !has(after, p)).sort();
    const updated = Object.keys(after).filter((p) => has(before, p) && before[p] !== after[p]).sort();
    return { added, removed, updated };
  }

  // Decide what a change set means for this page, given what the page uses (sets of
  // module paths): `page` its own HTML, `accepted` modules with an hmr.accept handler,
  // `css` stylesheets it links or @imports, `images` images it shows, `uses` every
  // other resource it loaded. Removed files are left alone: a page that used one
  // also changed its HTML, which reloads it.
  function planUpdate(diff, usage) {
    const plan = { css: [], images: [], modules: [], reload: false, reloadFor: [] };
    const has = (set, path) => Boolean(set) && set.has(path);
    for (const path of diff.added.concat(diff.updated).sort()) {
      if (has(usage.page, path)) plan.reloadFor.push(path);
      else if (has(usage.accepted, path)) plan.modules.push(path);
      else if (has(usage.css, path)) plan.css.push(path);
      else if (has(usage.images, path)) plan.images.push(path);
      else if (has(usage.uses, path)) plan.reloadFor.push(path);
    }
    plan.reload = plan.reloadFor.length > 0;
    return plan;
  }

  // "a.css, b.css, c.css and 4 more"
  function summarize(paths, shown = 3) {
    const list = Array.isArray(paths) ? paths : [];
    return list.slice(0, shown).join(', ') + (list.length > shown ? ' and ' + (list.length - shown) + ' more' : '');
  }

  // --- src/urls.js
  // Module paths and URLs, both ways: which URL a module-map path is served at,
  // which path a URL the page loads names, and how URLs inside CSS values and
  // srcset attributes are rewritten to ask for a new build. Pure, like rules.js.

  const CACHE_BUST_PARAM = 'hmr';

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

  // The module-map path a URL names, or null when it lies outside the public path.
  function modulePathFromUrl(href, publicPath, pageUrl) {
    const url = canonicalUrl(href, pageUrl);
    const base = canonicalUrl(publicBase(publicPath, pageUrl));
    if (url === null || !url.startsWith(base) || url.length === base.length) return null;
    return url.slice(base.length).split('/').map(decodeSegment).join('/');
  }

  // The module paths that may hold the page's own HTML: "/" is index.html, "/docs"
  // may be docs, docs.html or docs/index.html, as static servers resolve them.
  function pagePaths(pageUrl, publicPath) {
    const url = canonicalUrl(pageUrl);
    const base = canonicalUrl(publicBase(publicPath, pageUrl));
    if (url === null || !url.startsWith(base)) return [];
    const rest = url.slice(base.length).split('/').map(decodeSegment).join('/');
    if (rest === '' || rest.endsWith('/')) return [rest + 'index.html'];
    return [rest, rest + '.html', rest + '/index.html'];
  }

  // What hmr.accept() was given: a module-map path ("js/app.js", "./js/app.js",
  // "/js/app.js") or a full URL such as import.meta.url. Null when it names nothing.
  function acceptedPath(spec, publicPath, pageUrl) {
    const text = String(spec == null ? '' : spec).trim();
    if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return modulePathFromUrl(text, publicPath, pageUrl);
    const path = text.replace(/^(\.\/)+/, '').replace(/^\/+/, '').split(/[?#]/)[0];
    return path === '' ? null : path;
  }

  // The canonical URL a <link> loads if it is a stylesheet with an href, else null.
  function stylesheetKey(link, baseUrl) {
    const rel = String(link.rel || '').toLowerCase().split(/\s+/);
    if (!rel.includes('stylesheet') || !link.href) return null;
    return canonicalUrl(link.href, baseUrl);
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

  // Rewrites each url(...) in a CSS value through `replace(url)`, which returns the
  // new URL or null to keep it. The result quotes and escapes what it wrote.
  function rewriteCssUrls(value, replace) {
    const pattern = /url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)\s'"]*))\s*\)/gi;
    return String(value).replace(pattern, (whole, double, single, bare) => {
      const quoted = double !== undefined ? double : single;
      const url = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare;
      const next = url ? replace(url) : null;
      return next == null ? whole : 'url("' + next.replace(/["\\]/g, '\\$&').replace(/\n/g, '%0A') + '")';
    });
  }

  // Rewrites the URLs of a srcset ("a.png 1x, b.png 2x") through `replace(url)`;
  // descriptors are kept. Returns the input unchanged when nothing was replaced.
  function rewriteSrcset(srcset, replace) {
    const text = String(srcset);
    const candidates = [];
    let i = 0;
    while (i < text.length) {
      while (i < text.length && /[\s,]/.test(text[i])) i++;
      if (i >= text.length) break;
      let start = i;
      while (i < text.length && !/\s/.test(text[i])) i++;
      let url = text.slice(start, i);
      let descriptor = '';
      if (url.endsWith(',')) {
        url = url.replace(/,+$/, '');
      } else {
        start = i;
        let depth = 0;
        while (i < text.length && (text[i] !== ',' || depth > 0)) {
          if (text[i] === '(') depth++;
          else if (text[i] === ')') depth = Math.max(0, depth - 1);
          i++;
        }
        descriptor = text.slice(start, i).trim();
      }
      candidates.push({ url, descriptor });
    }
    let changed = false;
    const out = candidates.map(({ url, descriptor }) => {
      const next = replace(url);
      if (next != null && next !== url) changed = true;
      return (next == null ? url : next) + (descriptor ? ' ' + descriptor : '');
    });
    return changed ? out.join(', ') : text;
  }

  // --- src/ansi.js
  // Build output as overlay HTML: ANSI colours and weight become spans, every
  // character of the text is escaped, and nothing else gets through. Pure.

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  // Terminal colours, readable on the overlay's dark background.
  const ANSI_COLORS = ['#5c6370', '#ff6b68', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#dcdfe4'];
  const ANSI_BRIGHT = ['#7f848e', '#ff8c8a', '#b5e07f', '#f5d58f', '#8cc8ff', '#dda6f0', '#7fd3dd', '#ffffff'];
  const CUBE_LEVELS = [0, 95, 135, 175, 215, 255];

  function xterm256(n) {
    if (n < 8) return ANSI_COLORS[n];
    if (n < 16) return ANSI_BRIGHT[n - 8];
    if (n < 232) {
      const i = n - 16;
      return rgb(CUBE_LEVELS[Math.floor(i / 36)], CUBE_LEVELS[Math.floor(i / 6) % 6], CUBE_LEVELS[i % 6]);
    }
    const level = 8 + 10 * (n - 232);
    return rgb(level, level, level);
  }

  function rgb(r, g, b) {
    const byte = (v) => Math.max(0, Math.min(255, v | 0));
    return 'rgb(' + byte(r) + ',' + byte(g) + ',' + byte(b) + ')';
  }

  // Applies one SGR sequence ("1;31", "38;5;208", "38;2;1;2;3", "0") to `style`.
  function applySgr(style, params) {
    const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i];
      if (code === 0) Object.assign(style, { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false });
      else if (code === 1) style.bold = true;
      else if (code === 2) style.dim = true;
      else if (code === 3) style.italic = true;
      else if (code === 4) style.underline = true;
      else if (code === 22) { style.bold = false; style.dim = false; }
      else if (code === 23) style.italic = false;
      else if (code === 24) style.underline = false;
      else if (code >= 30 && code <= 37) style.fg = ANSI_COLORS[code - 30];
      else if (code >= 90 && code <= 97) style.fg = ANSI_BRIGHT[code - 90];
      else if (code === 39) style.fg = null;
      else if (code >= 40 && code <= 47) style.bg = ANSI_COLORS[code - 40];
      else if (code >= 100 && code <= 107) style.bg = ANSI_BRIGHT[code - 100];
      else if (code === 49) style.bg = null;
      else if (code === 38 || code === 48) {
        const key = code === 38 ? 'fg' : 'bg';
        if (codes[i + 1] === 5 && i + 2 < codes.length) { style[key] = xterm256(codes[i + 2] & 255); i += 2; }
        else if (codes[i + 1] === 2 && i + 4 < codes.length) { style[key] = rgb(codes[i + 2], codes[i + 3], codes[i + 4]); i += 4; }
      }
    }
  }

  function styleCss(style) {
    const css = [];
    if (style.fg) css.push('color:' + style.fg);
    if (style.bg) css.push('background:' + style.bg);
    if (style.bold) css.push('font-weight:bold');
    if (style.dim) css.push('opacity:.7');
    if (style.italic) css.push('font-style:italic');
    if (style.underline) css.push('text-decoration:underline');
    return css.join(';');
  }

  // Build output as HTML: every character of the text escaped, colours and weight
  // from SGR sequences as spans (their styles are built from numbers and a fixed
  // palette, never from the text), other escape and control sequences dropped, and
  // a line redrawn with \r shows its last state, as a terminal would.
  function ansiToHtml(text) {
    const lines = String(text).replace(/\r\n/g, '\n').split('\n')
      .map((line) => line.slice(line.lastIndexOf('\r') + 1));
    const source = lines.join('\n');
    const style = { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false };
    // CSI sequences, OSC sequences (ended by BEL or ESC \), any other escape.
    const escapes = /\x1b\[([0-9;:?<=>]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?/g;
    let html = '';
    const emit = (chunk) => {
      const clean = chunk.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
      if (clean === '') return;
      const css = styleCss(style);
      html += css ? '<span style="' + css + '">' + escapeHtml(clean) + '</span>' : escapeHtml(clean);
    };
    let last = 0;
    let match;
    while ((match = escapes.exec(source)) !== null) {
      emit(source.slice(last, match.index));
      if (match[2] === 'm') applySgr(style, match[1]);
      last = escapes.lastIndex;
    }
    emit(source.slice(last));
    return html;
  }

  // --- src/connection.js
  // The connection to the daemon's event stream as a state machine: events in (start,
  // the stream opened, a message, an error, a timer fired) with the time on the
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
        case 'message': return fromCurrentStream(event) ? message(event.data, now) : [];
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
    function message(data, now) {
      state = { ...state, watchdogAt: now + timeout };
      const payload = parseFrame(data);
      return payload === null || payload === 'heartbeat' ? [watchdog()] : [watchdog(), { do: 'deliver', payload }];
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

  // --- src/log.js
  // The client's console output, each line led by [hmr]. ?log=false silences the
  // chatter (info); warnings and errors always show.

  const LOG_PREFIX = '[hmr]';

  function createLog(chatty) {
    return {
      info: (...args) => { if (chatty) console.log(LOG_PREFIX, ...args); },
      warn: (...args) => console.warn(LOG_PREFIX, ...args),
      error: (...args) => console.error(LOG_PREFIX, ...args),
    };
  }

  // --- src/overlay.js
  // The error overlay and the "rebuilding" indicator. Both live in open shadow roots
  // of uniquely named elements, so page CSS cannot restyle them and tests can look in.

  const INDICATOR_DELAY_MS = 200;   // Builds quicker than this never show the indicator: no flicker.

  function createOverlay(enabled) {
    const OVERLAY_CSS =
      ':host{all:initial;position:fixed;inset:0;z-index:2147483647;display:block}' +
      '.backdrop{position:fixed;inset:0;overflow:auto;background:rgba(12,13,16,.9);color:#dcdfe4;' +
      'font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}' +
      '.panel{box-sizing:border-box;max-width:960px;margin:6vh auto;padding:16px 20px;background:#1b1d23;' +
      'border-top:4px solid #ff6b68;border-radius:6px;box-shadow:0 12px 40px rgba(0,0,0,.5)}' +
      'header{display:flex;justify-content:space-between;align-items:center;font:600 15px system-ui,sans-serif;color:#ff8c8a}' +
      'button{all:unset;cursor:pointer;color:#9da5b4;font:20px/1 system-ui,sans-serif;padding:2px 8px;border-radius:4px}' +
      'button:hover{background:#2c313a;color:#fff}' +
      'pre{margin:12px 0 0;white-space:pre-wrap;word-break:break-word;font:inherit}' +
      'footer{margin-top:14px;font:12px system-ui,sans-serif;color:#7f848e}';
    const OVERLAY_HTML =
      '<div class="backdrop"><div class="panel" role="alertdialog" aria-label="Build failed">' +
      '<header><span>Build failed</span><button type="button" title="Dismiss (Esc)" aria-label="Dismiss">\u00d7</button></header>' +
      '<pre></pre><footer>The page keeps its last good state and updates when the build succeeds. Esc dismisses this.</footer>' +
      '</div></div>';
    const INDICATOR_CSS =
      ':host{all:initial;position:fixed;right:12px;bottom:12px;z-index:2147483647;pointer-events:none;display:block}' +
      'div{display:flex;align-items:center;gap:6px;padding:4px 10px;border-radius:12px;background:rgba(27,29,35,.85);' +
      'color:#dcdfe4;font:12px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.25)}' +
      'i{width:7px;height:7px;border-radius:50%;background:#61afef;animation:p 1s ease-in-out infinite}' +
      '@keyframes p{50%{opacity:.25}}';

    let overlay = null;
    let overlayText = null;
    let dismissedText = null;
    let indicator = null;
    let indicatorTimer = null;

    // An element with an open shadow root holding `css` and `html` (both constants).
    function mount(tag, css, html) {
      const parent = document.documentElement;
      if (!parent) return null;
      const host = document.createElement(tag);
      const root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
      const style = document.createElement('style');
      style.textContent = css;
      root.appendChild(style);
      const body = document.createElement('div');
      body.innerHTML = html;
      while (body.firstChild) root.appendChild(body.firstChild);
      parent.appendChild(host);
      return { host, root };
    }

    function unmount(part) {
      if (part && part.host.parentNode) part.host.parentNode.removeChild(part.host);
      return null;
    }

    function hideOverlay() {
      overlay = unmount(overlay);
      overlayText = null;
    }

    // `fresh`: the errors come from a build that just ran (shown even if the same
    // text was dismissed); a replay on reconnect respects an earlier Esc.
    function showErrors(text, fresh) {
      if (!enabled) return;
      if (!fresh && text === dismissedText) return;
      dismissedText = null;
      if (overlay && overlayText === text) return;
      if (!overlay) {
        overlay = mount('hmrd-overlay', OVERLAY_CSS, OVERLAY_HTML);
        if (!overlay) return;
        overlay.root.querySelector('button').addEventListener('click', dismiss);
      }
      overlay.root.querySelector('pre').innerHTML = ansiToHtml(text); // ansiToHtml escapes all of it.
      overlayText = text;
    }

    function dismiss() {
      dismissedText = overlayText;
      hideOverlay();
    }

    function clearErrors() {
      dismissedText = null;
      hideOverlay();
    }

    function building(active) {
      clearTimeout(indicatorTimer);
      indicatorTimer = null;
      if (!active) { indicator = unmount(indicator); return; }
      if (!enabled || indicator) return;
      indicatorTimer = setTimeout(() => {
        indicatorTimer = null;
        indicator = mount('hmrd-indicator', INDICATOR_CSS, '<div role="status"><i></i>rebuilding\u2026</div>');
      }, INDICATOR_DELAY_MS);
    }

    if (typeof window.addEventListener === 'function') {
      window.addEventListener('keydown', (event) => {
        if (overlay && (event.key === 'Escape' || event.key === 'Esc')) dismiss();
      }, true);
    }

    return { showErrors, clearErrors, building };
  }

  // --- src/scanner.js
  // What the page uses, found fresh for each build: the elements and style rules
  // that reference each module path, plus every resource the page has fetched.

  function createPageScanner(toPath) {
    const fetched = new Set(); // Canonical URLs from Resource Timing (module imports, fetches, fonts …).
    if (typeof PerformanceObserver === 'function') {
      try {
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            const key = canonicalUrl(entry.name);
            if (key) fetched.add(key);
          }
        }).observe({ type: 'resource', buffered: true });
      } catch (_) { /* An old browser: the DOM scan below still finds what elements load. */ }
    }

    const add = (map, path, item) => {
      if (path === null) return;
      if (!map.has(path)) map.set(path, []);
      if (item !== undefined) map.get(path).push(item);
    };

    // Every style sheet of the document, @imported ones included, with its rules.
    function eachSheet(visit) {
      const walk = (sheet, depth) => {
        if (!sheet || depth > 16) return;
        let rules;
        try { rules = sheet.cssRules; } catch (_) { return; } // Cross-origin without CORS: unreadable.
        if (!rules) return;
        visit(sheet, rules);
        for (const rule of Array.from(rules)) if (rule.styleSheet) walk(rule.styleSheet, depth + 1);
      };
      for (const sheet of Array.from(document.styleSheets || [])) walk(sheet, 0);
    }

    // Each declaration value holding url(...), in this rule list and the groups within.
    function eachUrlDeclaration(rules, visit) {
      for (const rule of Array.from(rules)) {
        const style = rule.style;
        if (style && typeof style.getPropertyValue === 'function') {
          for (let i = 0; i < style.length; i++) {
            const name = style[i];
            const value = style.getPropertyValue(name);
            if (value && value.indexOf('url(') >= 0) visit(style, name, value);
          }
        }
        if (rule.cssRules && !rule.styleSheet) eachUrlDeclaration(rule.cssRules, visit);
      }
    }

    function srcsetUrls(srcset) {
      const urls = [];
      rewriteSrcset(srcset, (url) => { urls.push(url); return null; });
      return urls;
    }

    function cssUrls(value) {
      const urls = [];
      rewriteCssUrls(value, (url) => { urls.push(url); return null; });
      return urls;
    }

    function scan(leaving) {
      const links = new Map();   // path → <link rel=stylesheet>
      const imports = new Map(); // path → CSSImportRule
      const images = new Map();  // path → (nothing: images are rewritten by URL)
      const uses = new Set();
      const base = document.baseURI;

      for (const link of document.querySelectorAll('link[href]')) {
        if (link.__hmrLeaving) continue;
        if (stylesheetKey(link, base)) add(links, toPath(link.href), link);
        else uses.add(toPath(link.href));
      }
      eachSheet((sheet, rules) => {
        const sheetBase = sheet.href || base;
        for (const rule of Array.from(rules)) {
          if (rule.styleSheet && rule.href && !leaving.has(rule)) add(imports, toPath(canonicalUrl(rule.href, sheetBase)), rule);
        }
        eachUrlDeclaration(rules, (style, name, value) => {
          for (const url of cssUrls(value)) add(images, toPath(canonicalUrl(url, sheetBase)));
        });
      });
      for (const el of document.querySelectorAll('img[src], img[srcset], source[srcset], video[poster]')) {
        if (el.getAttribute('src')) add(images, toPath(canonicalUrl(el.getAttribute('src'), base)));
        if (el.getAttribute('poster')) add(images, toPath(canonicalUrl(el.getAttribute('poster'), base)));
        for (const url of srcsetUrls(el.getAttribute('srcset') || '')) add(images, toPath(canonicalUrl(url, base)));
      }
      for (const el of document.querySelectorAll('[style]')) {
        for (const url of cssUrls(el.getAttribute('style') || '')) add(images, toPath(canonicalUrl(url, base)));
      }
      const loaders = 'script[src], iframe[src], embed[src], object[data], video[src], audio[src], source[src], track[src]';
      for (const el of document.querySelectorAll(loaders)) {
        uses.add(toPath(canonicalUrl(el.getAttribute('src') || el.getAttribute('data'), base)));
      }
      for (const url of fetched) uses.add(toPath(url));
      uses.delete(null);
      return { links, imports, images, uses };
    }

    return { scan, eachSheet, eachUrlDeclaration };
  }

  // --- src/swapper.js
  // Swaps stylesheets and images in place. Images are re-requested by URL: every
  // reference to a changed image (img src, srcset, url() in rules and style
  // attributes) gets ?hmr=<hash>, and so do sheets that load later and name it.

  const IMPORT_SETTLE_MS = 3000;    // Longest an old @import rule is kept while its successor loads.
  const IMPORT_POLL_MS = 25;
  const LINK_RETRIES = 5;           // A stylesheet refused or not of its build is asked for again this often,
  const LINK_RETRY_MS = 100;        // after 100, 200, 400 … ms: the daemon refuses only while a file is rewritten.

  function createSwapper(scanner, log) {
    const bustedImages = new Map(); // Canonical URL → the hash it was last busted with.
    const leavingRules = new WeakSet();

    function bustedUrl(href, base) {
      const key = canonicalUrl(href, base);
      const hash = key && bustedImages.get(key);
      return hash ? cacheBustUrl(href, hash, base) : null;
    }

    function refreshRules(sheet) {
      const base = (sheet && sheet.href) || document.baseURI;
      let rules;
      try { rules = sheet && sheet.cssRules; } catch (_) { return; }
      if (!rules) return;
      scanner.eachUrlDeclaration(rules, (style, name, value) => {
        const next = rewriteCssUrls(value, (url) => bustedUrl(url, base));
        if (next !== value) style.setProperty(name, next, style.getPropertyPriority(name));
      });
      for (const rule of Array.from(rules)) if (rule.styleSheet) refreshRules(rule.styleSheet);
    }

    function refreshImages() {
      if (bustedImages.size === 0) return;
      const base = document.baseURI;
      for (const el of document.querySelectorAll('img[src], img[srcset], source[srcset], video[poster]')) {
        for (const attr of ['src', 'poster']) {
          const value = el.getAttribute(attr);
          const next = value && bustedUrl(value, base);
          if (next && next !== value) el.setAttribute(attr, next);
        }
        const srcset = el.getAttribute('srcset');
        if (srcset) {
          const next = rewriteSrcset(srcset, (url) => bustedUrl(url, base));
          if (next !== srcset) el.setAttribute('srcset', next);
        }
      }
      for (const el of document.querySelectorAll('[style]')) {
        const value = el.getAttribute('style');
        if (value.indexOf('url(') < 0) continue;
        const next = rewriteCssUrls(value, (url) => bustedUrl(url, base));
        if (next !== value) el.setAttribute('style', next);
      }
      scanner.eachSheet((sheet) => refreshRules(sheet));
    }

    function swapImages(urls, hash) {
      for (const url of urls) bustedImages.set(url, hash);
      refreshImages();
    }

    // The content hash the daemon says it sent for a URL (Server-Timing: hmr;desc=…),
    // or null where the browser or the server does not tell.
    function servedHash(url) {
      if (typeof performance === 'undefined' || typeof performance.getEntriesByName !== 'function') return null;
      const entries = performance.getEntriesByName(url, 'resource');
      const entry = entries[entries.length - 1];
      const timing = entry && Array.from(entry.serverTiming || []).find((t) => t.name === 'hmr');
      return timing ? timing.description : null;
    }

    // Insert the new <link> after the old one and drop the old only once the new
    // one has loaded, so the page is never unstyled in between. A load that failed
    // (the daemon refuses a file being rewritten) keeps the old one; one whose bytes
    // are not the build's (`expected`) stays but is asked for again: no save is lost.
    function swapLink(old, hash, expected, attempt = 0) {
      const next = old.cloneNode(false);
      next.href = cacheBustUrl(old.href, attempt ? hash + '-' + attempt : hash, document.baseURI);
      next.__hmrReplaces = [old].concat(old.__hmrReplaces || []);
      old.__hmrLeaving = true;
      const again = (link) => {
        if (attempt >= LINK_RETRIES) { log.warn('could not load this build of', old.href); return; }
        setTimeout(() => { if (link.parentNode && !link.__hmrLeaving) swapLink(link, hash, expected, attempt + 1); },
          LINK_RETRY_MS << attempt);
      };
      const done = (event) => {
        next.removeEventListener('load', done);
        next.removeEventListener('error', done);
        if (event.type === 'error') {
          if (next.parentNode) next.parentNode.removeChild(next);
          next.__hmrReplaces = [];
          old.__hmrLeaving = false;
          again(old);
          return;
        }
        for (const stale of next.__hmrReplaces) if (stale.parentNode) stale.parentNode.removeChild(stale);
        next.__hmrReplaces = [];
        if (bustedImages.size) refreshRules(next.sheet);
        const served = servedHash(next.href);
        if (expected && served && served !== expected) again(next);
      };
      next.addEventListener('load', done);
      next.addEventListener('error', done);
      old.parentNode.insertBefore(next, old.nextSibling);
    }

    // An @import has no load event: the new rule goes in right after the old one (so
    // it wins the cascade while both stand), and the old one leaves once the new
    // sheet has rules, or after IMPORT_SETTLE_MS for a sheet that stays empty.
    function swapImport(rule, hash) {
      const parent = rule.parentStyleSheet;
      const index = parent ? Array.prototype.indexOf.call(parent.cssRules, rule) : -1;
      if (index < 0) return;
      let text = '@import url(' + JSON.stringify(cacheBustUrl(rule.href, hash, parent.href || document.baseURI)) + ')';
      if (typeof rule.layerName === 'string') text += rule.layerName ? ' layer(' + rule.layerName + ')' : ' layer';
      if (rule.supportsText) text += ' supports(' + rule.supportsText + ')';
      if (rule.media && rule.media.mediaText) text += ' ' + rule.media.mediaText;
      parent.insertRule(text + ';', index + 1);
      const fresh = parent.cssRules[index + 1];
      leavingRules.add(rule);
      const started = Date.now();
      const settle = () => {
        let loaded = false;
        try { loaded = Boolean(fresh.styleSheet && fresh.styleSheet.cssRules.length > 0); } catch (_) { loaded = true; }
        if (!loaded && Date.now() - started < IMPORT_SETTLE_MS) { setTimeout(settle, IMPORT_POLL_MS); return; }
        const at = Array.prototype.indexOf.call(parent.cssRules, rule);
        if (at >= 0) parent.deleteRule(at);
        if (bustedImages.size) refreshRules(fresh.styleSheet);
      };
      settle();
    }

    function swapStylesheets(found, paths, hash, modules) {
      for (const path of paths) {
        for (const link of found.links.get(path) || []) swapLink(link, hash, modules[path]);
        for (const rule of found.imports.get(path) || []) {
          try { swapImport(rule, hash); } catch (error) { log.warn('could not replace the @import of', path + ':', error); }
        }
      }
    }

    return { swapStylesheets, swapImages, leavingRules };
  }

  // --- src/modules.js
  // hmr.accept / hmr.dispose / hmr.data: modules that take their own updates. A
  // changed module with an accept handler is re-imported at its new URL instead of
  // reloading the page; hmr.data survives that, not a reload.

  function createModules(toPath, toUrl, log) {
    const accepted = new Map(); // path → callback of the version running now
    const disposers = new Map(); // path → callbacks to run before it is replaced
    const data = {};

    function accept(spec, callback) {
      const path = toPath(spec);
      if (path === null) { log.warn('hmr.accept: cannot tell which module', spec, 'is'); return; }
      accepted.set(path, typeof callback === 'function' ? callback : () => {});
    }

    function dispose(spec, callback) {
      const path = toPath(spec);
      if (path === null || typeof callback !== 'function') return;
      if (!disposers.has(path)) disposers.set(path, []);
      disposers.get(path).push(callback);
    }

    // Runs the old version's dispose handlers, imports the new version (which
    // registers its own handlers as it runs) and hands it to the old accept callback.
    function reimport(path, hash) {
      const callback = accepted.get(path);
      for (const handler of disposers.get(path) || []) {
        try { handler(data); } catch (error) { log.error('a dispose handler of', path, 'threw:', error); }
      }
      disposers.delete(path);
      const url = cacheBustUrl(toUrl(path), hash);
      return import(url).then(
        (module) => { callback(module); log.info('re-imported', path); },
        (error) => { log.error('could not re-import', path + '; the old version keeps running:', error); });
    }

    return { accept, dispose, data, reimport, paths: () => new Set(accepted.keys()) };
  }

  // --- src/listeners.js
  // hmr.on(action, cb): custom actions and build events for page code. A handler
  // that throws is logged and the others still run.

  function createListeners(log) {
    const byAction = new Map();
    return {
      on(action, callback) {
        if (typeof callback !== 'function') return () => {};
        const key = String(action);
        if (!byAction.has(key)) byAction.set(key, new Set());
        byAction.get(key).add(callback);
        return () => byAction.get(key).delete(callback);
      },
      emit(payload) {
        for (const callback of Array.from(byAction.get(payload.action) || [])) {
          try { callback(payload); } catch (error) { log.error('an hmr.on(' + JSON.stringify(payload.action) + ') handler threw:', error); }
        }
      },
    };
  }

  // --- src/updates.js
  // What a payload does to the page: `building` shows the indicator, a failed build
  // shows the overlay and applies nothing, and a good build with another hash is
  // diffed against the page's own and applied in place, or reloads the page.

  function createUpdates({ client, options, publicPath, log, toUrl, modules, listeners, overlay, scanner, swapper }) {
    function applyBuild(payload) {
      const diff = diffModules(client.modules, payload.modules);
      const found = scanner.scan(swapper.leavingRules);
      const plan = planUpdate(diff, {
        page: new Set(pagePaths(location.href, publicPath)),
        accepted: modules.paths(),
        css: new Set([...found.links.keys(), ...found.imports.keys()]),
        images: new Set(found.images.keys()),
        uses: found.uses,
      });
      if (plan.reload && options.reload) {
        log.info('reloading for', summarize(plan.reloadFor));
        location.reload();
        return false;
      }
      swapper.swapStylesheets(found, plan.css, payload.hash, payload.modules || {});
      swapper.swapImages(plan.images.map(toUrl), payload.hash);
      for (const path of plan.modules) modules.reimport(path, payload.hash);
      const applied = plan.css.concat(plan.images);
      if (applied.length) log.info('updated', summarize(applied, 5));
      if (plan.reload) log.info('a reload is needed for', summarize(plan.reloadFor), '(reload=false)');
      if (!applied.length && !plan.modules.length && !plan.reload) log.info('nothing this page uses changed');
      return true;
    }

    function onBuild(payload) {
      const errors = Array.isArray(payload.errors) ? payload.errors : [];
      const warnings = Array.isArray(payload.warnings) ? payload.warnings : [];
      const known = typeof payload.hash === 'string' && payload.hash !== ''; // "": no build has finished yet.
      if (payload.action === 'built' || client.state === 'building') overlay.building(false);
      if (errors.length) {
        client.state = 'error';
        const text = errors.join('\n');
        if (text !== client.lastErrors || payload.action === 'built') {
          console.error(LOG_PREFIX + ' build failed; the page is not updated:\n' + text);
        }
        client.lastErrors = text;
        overlay.showErrors(text, payload.action === 'built');
        return;
      }
      client.state = 'idle';
      client.lastErrors = '';
      overlay.clearErrors();
      if (warnings.length) console.warn(LOG_PREFIX + ' build warnings:\n' + warnings.join('\n'));
      if (!known) return;
      if (client.hash === null) { // Loaded raw: the first state we hear of is the page's.
        client.hash = payload.hash;
        client.modules = payload.modules || {};
        return;
      }
      if (payload.hash === client.hash) {
        if (payload.action === 'built') log.info('up to date');
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
        overlay.building(true);
        log.info('rebuilding…', summarize(payload.trigger));
      },
      built: onBuild,
      sync: onBuild,
    };

    // A payload from the stream; payloads for another bundle (?name=) are not ours.
    function receive(payload) {
      if (options.name !== null && payload.name !== options.name) return;
      const handler = Object.prototype.hasOwnProperty.call(handlers, payload.action) && handlers[payload.action];
      if (handler) handler(payload);
      listeners.emit(payload);
    }

    return { receive };
  }

  // --- src/boot.js
  // Starts the client in a browser and wires the parts together: window.hmr first,
  // then the page's parts, then the connection, whose actions it carries out with a
  // real EventSource and real timers. Every decision is made in the other files.

  const EVENT_SOURCE_CLOSED = 2; // EventSource.CLOSED: the browser gave up on the stream.

  function boot() {
    if (typeof window === 'undefined' || typeof document === 'undefined') return;
    if (window.__hmrClient) return; // Included twice: the first copy owns the connection.

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
    const toPath = (url) => (url === null || url === undefined ? null : modulePathFromUrl(url, publicPath, location.href));
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

    if (!daemon) { log.warn('cannot find my own <script src>; hot updates are off.'); return; }
    if (typeof EventSource === 'undefined') { log.warn('this browser has no EventSource; hot updates are off.'); return; }

    const overlay = createOverlay(options.overlay);
    const scanner = createPageScanner(toPath);
    const swapper = createSwapper(scanner, log);
    const updates = createUpdates({ client, options, publicPath, log, toUrl, modules, listeners, overlay, scanner, swapper });

    runConnection(createConnection({ url: daemon.streamUrl, timeout: options.timeout, random: Math.random }), {
      deliver(payload) {
        try { updates.receive(payload); } catch (error) { log.error('could not apply an update:', error); }
      },
      setConnected(value) { client.connected = value; },
      log,
    });
  }

  // Turns the EventSource's and the timers' callbacks into the connection's events,
  // and carries out the actions it returns.
  function runConnection(connection, { deliver, setConnected, log }) {
    const timers = new Map(); // The event a timer will send → its setTimeout id.
    let source = null;

    function dispatch(event) {
      for (const action of connection.handle(event, clock())) carryOut(action);
    }

    function carryOut(action) {
      switch (action.do) {
        case 'open': source = openStream(action.url, action.stream); break;
        case 'close': source.close(); source = null; break;
        case 'setTimer': setTimer(action.fires, action.at); break;
        case 'clearTimer': clearTimeout(timers.get(action.fires)); timers.delete(action.fires); break;
        case 'deliver': deliver(action.payload); break;
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
      es.onmessage = (event) => dispatch({ type: 'message', stream, data: event.data });
      es.onerror = () => dispatch({ type: 'error', stream, closed: es.readyState === EVENT_SOURCE_CLOSED });
      return es;
    }

    dispatch({ type: 'start' });
  }

  // Monotonic where the browser has it: a wall clock set back would stall the watchdog.
  function clock() {
    return typeof performance !== 'undefined' && typeof performance.now === 'function' ? performance.now() : Date.now();
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
      parseOptions, locateDaemon, publicBase, moduleUrl, modulePathFromUrl, canonicalUrl, pagePaths,
      acceptedPath, stylesheetKey, diffModules, planUpdate, cacheBustUrl, rewriteCssUrls, rewriteSrcset,
      escapeHtml, ansiToHtml, backoffDelay, parseFrame, summarize, createConnection,
    };
  } else {
    boot();
  }
})();
