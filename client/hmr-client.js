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
      // The page's own HTML: 'morph' patches the live page (html.js), 'reload' reloads it.
      html: String(params.get('html') || '').trim().toLowerCase() === 'reload' ? 'reload' : 'morph',
      // false: this page opens a stream of its own instead of sharing its browser's (share.js).
      shared: parseBool(params.get('shared'), true),
      // false: this page does not tell the daemon what it did (report.js).
      report: parseBool(params.get('report'), true),
      // false: with hmrd --sync, this page neither mirrors the others nor is mirrored (ghost.js).
      sync: parseBool(params.get('sync'), true),
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
    const added = [], updated = [];
    let kept = 0;
    for (const p of Object.keys(after)) { // One pass: a map holds thousands of paths.
      if (!has(before, p)) { added.push(p); continue; }
      kept += 1;
      if (before[p] !== after[p]) updated.push(p);
    }
    const beforeKeys = Object.keys(before);
    const removed = kept === beforeKeys.length ? [] : beforeKeys.filter((p) => !has(after, p));
    return { added: added.sort(), removed: removed.sort(), updated: updated.sort() };
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

  // A path resolver that keeps its answers for full URLs: a page of 2,000 modules asks
  // for every resource it fetched on each build. A full URL's path does not depend on
  // the page's URL (the public path is "/…" or a URL), a relative one does, so that is
  // resolved against `pageUrl()` each time. Reading location.href costs ~1 µs: not per URL.
  const PATH_MEMO_SIZE = 20000;

  function memoizePaths(resolve, pageUrl) {
    const memo = new Map();
    return (url) => {
      const text = String(url);
      if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) return resolve(text, pageUrl());
      let path = memo.get(text);
      if (path === undefined) {
        if (memo.size >= PATH_MEMO_SIZE) memo.clear();
        path = resolve(text, pageUrl());
        memo.set(text, path);
      }
      return path;
    };
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

  // --- src/graph.js
  // The daemon's ES module graph as the client reads it (GET <stream>/graph?build=),
  // the URL a module has at a version, and the module-map key an import specifier
  // names. Pure, like rules.js: fetching and importing are the caller's.

  // Only these are modules to the daemon; an import of anything else is no edge.
  function isModuleKey(key) {
    return /\.m?js$/.test(String(key));
  }

  // The graph's JSON, checked and indexed: `modules` (key → { version, imports,
  // dynamic, hot }) and `importers` (key → the keys that import it, statically or by
  // import()). Throws when it is no graph: a broken answer reloads, never misleads.
  function readGraph(json) {
    if (!json || typeof json !== 'object' || !json.modules || typeof json.modules !== 'object') {
      throw new Error('the answer is not a module graph');
    }
    const keys = (list) => (Array.isArray(list) ? list.filter((key) => typeof key === 'string') : []);
    const modules = new Map();
    for (const key of Object.keys(json.modules)) {
      const entry = json.modules[key];
      if (!entry || typeof entry.version !== 'string' || entry.version === '') {
        throw new Error('module ' + key + ' of the graph has no version');
      }
      modules.set(key, { version: entry.version, imports: keys(entry.imports), dynamic: keys(entry.dynamic), hot: entry.hot === true });
    }
    const importers = new Map();
    for (const [key, module] of modules) {
      for (const dep of module.imports.concat(module.dynamic)) {
        if (dep === key) continue; // A module that imports itself is no importer of itself.
        if (!importers.has(dep)) importers.set(dep, new Set());
        importers.get(dep).add(key);
      }
    }
    return { hash: typeof json.hash === 'string' ? json.hash : '', modules, importers };
  }

  // Build `json.hash`'s graph from build `json.since`'s and the daemon's difference
  // (modules new or of another version, and `removed`), as readGraph would read it whole.
  // The earlier graph is left as it was: a slow update may still be using it.
  function applyGraphDelta(earlier, json) {
    const delta = readGraph(json);
    const removed = Array.isArray(json.removed) ? json.removed.filter((key) => typeof key === 'string') : [];
    const modules = new Map(earlier.modules);
    const importers = new Map(earlier.importers);
    const copied = new Set(); // Importer sets of this graph's own; the rest are shared with `earlier`.
    const link = (key, module, linked) => {
      for (const dep of module.imports.concat(module.dynamic)) {
        if (dep === key) continue;
        if (!copied.has(dep)) { importers.set(dep, new Set(importers.get(dep))); copied.add(dep); }
        if (linked) importers.get(dep).add(key); else importers.get(dep).delete(key);
      }
    };
    const unlink = (key) => { if (modules.has(key)) link(key, modules.get(key), false); };
    for (const key of removed) { unlink(key); modules.delete(key); }
    for (const [key, module] of delta.modules) { unlink(key); modules.set(key, module); link(key, module, true); }
    for (const dep of copied) if (importers.get(dep).size === 0) importers.delete(dep);
    return { hash: delta.hash, modules, importers };
  }

  // What the browser makes of the daemon's rewritten specifier "./<key>?v=<version>"
  // against the public base, which is the URL the module map knows that instance by.
  // Only what the URL parser would misread is escaped: "a+b.js" stays as written,
  // "50%.js" is "50%25.js"; another spelling of the same file is another instance.
  function versionedUrl(key, version, base) {
    const path = String(key).replace(/^\/+/, '').replace(/[%?#]/g, encodeURIComponent);
    return new URL('./' + path + '?v=' + encodeURIComponent(version), base).href;
  }

  // The key an accept() dependency names, resolved against the accepting module's own
  // URL as its imports are: "./b.js", "../b.js", "/b.js" or a full URL. Null for a
  // bare name ("react"), which an import map resolves, not the graph.
  function specifierKey(spec, importerUrl, toKey) {
    const text = String(spec);
    if (!/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(text)) return null;
    let url;
    try { url = new URL(text, importerUrl); } catch (_) { return null; }
    return toKey(url.href);
  }

  // --- src/propagate.js
  // Where an update of ES modules stops, decided as Vite does but in the page against
  // the daemon's graph: from each changed module the page runs, up its importers to
  // the nearest modules that accept it, or a reason to reload. Also which modules an
  // update leaves imported by nobody. Pure: graph, page and accepts are arguments.

  const NO_ACCEPTS = { self: false, deps: new Set(), declined: false };

  // `graph`: readGraph's. `changed`: keys whose content changed or that are new.
  // `loaded`: Set of keys the page runs. `accepts`: Map key → { self, deps (Set of
  // keys), declined }, from the running instances. `invalidatedBy`: the key whose
  // invalidate() started this walk from its importers; coming back to it reloads.
  // Returns { reload: null | { reason, key }, boundaries: [{ boundary, accepted,
  // circular }], replaced: keys that get a new instance (disposed first) }.
  function propagateUpdate(graph, changed, loaded, accepts, invalidatedBy = null) {
    const own = (key) => accepts.get(key) || NO_ACCEPTS;
    const reload = (reason, key) => ({ reload: { reason, key }, boundaries: [], replaced: [] });
    const reached = new Set(); // Modules that need a new instance: the changed ones and their importers up to a boundary.
    const boundaries = new Map(); // "boundary\naccepted" → boundary
    const queue = Array.from(new Set(changed)).filter((key) => loaded.has(key) && key !== invalidatedBy).sort();
    for (const key of queue) reached.add(key);

    // Breadth first with a visited set, so an import cycle is walked once and the walk ends.
    for (let i = 0; i < queue.length; i++) {
      const key = queue[i];
      if (own(key).declined) return reload(key + ' declined hot updates', key);
      if (own(key).self) {
        boundaries.set(key + '\n' + key, { boundary: key, accepted: key });
        continue;
      }
      const importers = loadedImporters(graph, key, loaded);
      if (importers.length === 0) return reload('nothing accepts the update of ' + key, key);
      for (const importer of importers) {
        if (own(importer).deps.has(key)) {
          boundaries.set(importer + '\n' + key, { boundary: importer, accepted: key });
        } else if (importer === invalidatedBy) {
          return reload('the update came back to ' + importer + ', which called invalidate()', importer);
        } else if (!reached.has(importer)) {
          reached.add(importer);
          queue.push(importer);
        }
      }
    }

    // Each module reached must be imported anew by a boundary: importing an accepted
    // module imports every reached module below it at its new version. A cycle that
    // no boundary imports would keep running its old code, so it reloads instead.
    const renewed = new Set();
    const stack = Array.from(boundaries.values(), (b) => b.accepted);
    while (stack.length) {
      const key = stack.pop();
      if (renewed.has(key) || !reached.has(key)) continue;
      renewed.add(key);
      const module = graph.modules.get(key);
      if (module) stack.push(...module.imports, ...module.dynamic);
    }
    const stranded = Array.from(reached).sort().find((key) => !renewed.has(key));
    if (stranded !== undefined) return reload('nothing accepts the update of ' + stranded + ': its importers lead round an import cycle', stranded);

    const list = Array.from(boundaries.values())
      .sort((a, b) => (a.boundary + '\n' + a.accepted < b.boundary + '\n' + b.accepted ? -1 : 1))
      .map((b) => ({ boundary: b.boundary, accepted: b.accepted, circular: onCycle(graph, b.accepted, loaded) }));
    return { reload: null, boundaries: list, replaced: Array.from(reached).sort() };
  }

  // The importers of `key` that the page runs, sorted, the module itself left out.
  function loadedImporters(graph, key, loaded) {
    return Array.from(graph.importers.get(key) || []).filter((importer) => importer !== key && loaded.has(importer)).sort();
  }

  // Whether walking up from `key` through modules the page runs comes back to it: an
  // accepted module in an import cycle, whose failed import cannot keep the old order.
  function onCycle(graph, key, loaded) {
    const seen = new Set();
    const stack = loadedImporters(graph, key, loaded);
    while (stack.length) {
      const next = stack.pop();
      if (next === key) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...loadedImporters(graph, next, loaded));
    }
    return false;
  }

  // Modules the page runs that a module it runs imported before the update and none
  // does after it: their dispose and prune handlers run. Entry scripts (`roots`) stay,
  // and without the old graph nothing is pruned.
  function prunedModules(oldGraph, newGraph, loaded, roots) {
    if (!oldGraph || !newGraph) return [];
    // Only a module that left or whose imports changed (which moves its version) can
    // leave another imported by nobody: what those imported, and they, are the ones to check.
    const candidates = new Set();
    for (const [key, module] of oldGraph.modules) {
      const now = newGraph.modules.get(key);
      if (now && now.version === module.version) continue;
      if (!now) candidates.add(key);
      for (const dep of module.imports.concat(module.dynamic)) candidates.add(dep);
    }
    const imported = (graph, key) => loadedImporters(graph, key, loaded).length > 0;
    return Array.from(candidates)
      .filter((key) => loaded.has(key) && !roots.has(key) && imported(oldGraph, key) && !imported(newGraph, key)).sort();
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

  // --- src/share.js
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

  // --- src/log.js
  // The client's console output, each line led by [hmr]. ?log=false silences the
  // chatter (info); warnings and errors always show.

  const LOG_PREFIX = '[hmr]';

  // Chatter is words and numbers: one string is one value for the console (and for an
  // attached debugger, which copies each argument) instead of several, in every tab.
  const isWord = (arg) => typeof arg === 'string' || typeof arg === 'number';

  function createLog(chatty) {
    return {
      info: (...args) => {
        if (!chatty) return;
        if (args.every(isWord)) console.log(LOG_PREFIX + ' ' + args.join(' '));
        else console.log(LOG_PREFIX, ...args);
      },
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
    // Paths of what Resource Timing saw load (module imports, fetches, fonts …), found as
    // they load: a page of 2,000 modules would otherwise resolve 2,000 URLs per build.
    const fetched = new Set();
    if (typeof PerformanceObserver === 'function') {
      try {
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            const key = canonicalUrl(entry.name);
            const path = key ? toPath(key) : null;
            if (path !== null) fetched.add(path);
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
      uses.delete(null);
      return { links, imports, images, uses: { has: (path) => uses.has(path) || fetched.has(path) } };
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
    // `settled` hears once: null when the build's sheet is in, or why it could not be.
    function swapLink(old, hash, expected, settled, attempt = 0) {
      const next = old.cloneNode(false);
      next.href = cacheBustUrl(old.href, attempt ? hash + '-' + attempt : hash, document.baseURI);
      next.__hmrReplaces = [old].concat(old.__hmrReplaces || []);
      old.__hmrLeaving = true;
      const again = (link) => {
        if (attempt >= LINK_RETRIES) {
          log.warn('could not load this build of', old.href);
          settled('could not load this build of ' + old.href);
          return;
        }
        setTimeout(() => { if (link.parentNode && !link.__hmrLeaving) swapLink(link, hash, expected, settled, attempt + 1); },
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
        else settled(null);
      };
      next.addEventListener('load', done);
      next.addEventListener('error', done);
      old.parentNode.insertBefore(next, old.nextSibling);
    }

    // An @import has no load event: the new rule goes in right after the old one (so
    // it wins the cascade while both stand), and the old one leaves once the new
    // sheet has rules, or after IMPORT_SETTLE_MS for a sheet that stays empty.
    function swapImport(rule, hash, settled) {
      const parent = rule.parentStyleSheet;
      const index = parent ? Array.prototype.indexOf.call(parent.cssRules, rule) : -1;
      if (index < 0) { settled(null); return; }
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
        settled(null);
      };
      settle();
    }

    // Resolves, once every sheet is in or given up on, to why each that could not be was not.
    function swapStylesheets(found, paths, hash, modules) {
      const pending = [];
      const track = (start) => pending.push(new Promise((resolve) => start(resolve)));
      for (const path of paths) {
        for (const link of found.links.get(path) || []) track((settled) => swapLink(link, hash, modules[path], settled));
        for (const rule of found.imports.get(path) || []) {
          track((settled) => {
            try { swapImport(rule, hash, settled); } catch (error) {
              log.warn('could not replace the @import of', path + ':', error);
              settled('could not replace the @import of ' + path + ': ' + error);
            }
          });
        }
      }
      return Promise.all(pending).then((errors) => errors.filter(Boolean));
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

  // --- src/hot.js
  // import.meta.hot: a Vite-shaped context for each running module instance, the data
  // a module keeps across its replacements, the events, and carrying out an update
  // plan (dispose, import, accept callbacks, prune). Importing and the clock are
  // passed in; nothing here reads the page.

  function createHotRuntime({ toKey, log, now }) {
    const records = new Map(); // key → the running instance: its url, accepts, disposers, pruners, listeners
    const dataByKey = new Map(); // key → the one object every instance of the module shares
    const bus = new Map(); // event → listeners in the order they subscribed
    const warned = new Set();
    let invalidating = null; // firstInvalidatedBy while an update that invalidate() started runs
    let onInvalidate = () => {};

    const keyOf = (url) => toKey(url) || String(url);
    const dataOf = (key) => {
      if (!dataByKey.has(key)) dataByKey.set(key, {});
      return dataByKey.get(key);
    };
    const warnOnce = (text) => {
      if (!warned.has(text)) { warned.add(text); log.warn(text); }
    };

    function subscribe(event, callback) {
      if (!bus.has(event)) bus.set(event, []);
      bus.get(event).push(callback);
    }

    function unsubscribe(event, callback) {
      const left = (bus.get(event) || []).filter((f) => f !== callback);
      if (left.length) bus.set(event, left); else bus.delete(event);
    }

    // Calls every listener of `event`; resolves when those that return promises settle.
    function emit(event, payload) {
      const results = [];
      for (const callback of (bus.get(event) || []).slice()) {
        try {
          results.push(callback(payload));
        } catch (error) {
          log.error('an import.meta.hot.on(' + JSON.stringify(event) + ') handler threw:', error);
        }
      }
      return Promise.allSettled(results);
    }

    // A module instance starts: its context has no accepts, disposers or listeners yet
    // (the previous instance's are dropped, as Vite does) but the module's data.
    function context(url) {
      const key = keyOf(url);
      const previous = records.get(key);
      if (previous) for (const [event, callback] of previous.listeners) unsubscribe(event, callback);
      const record = { key, url: String(url), at: now(), callbacks: [], disposers: [], pruners: [], declined: false, listeners: [] };
      records.set(key, record);
      dataOf(key);
      return createContext(record);
    }

    function createContext(record) {
      const resolve = (spec) => {
        const key = specifierKey(spec, record.url, toKey);
        if (key === null) warnOnce('import.meta.hot.accept(' + JSON.stringify(String(spec)) + ') in ' + record.key + ': only ./, ../, / and full URLs name a module');
        return key;
      };
      const add = (deps, fn) => record.callbacks.push({ deps, fn });
      return {
        get data() { return dataOf(record.key); },
        accept(deps, callback) {
          if (!deps || typeof deps === 'function') add([record.key], (mods) => deps && deps(mods[0]));
          else if (typeof deps === 'string') add([resolve(deps)], (mods) => callback && callback(mods[0]));
          else if (Array.isArray(deps)) add(deps.map(resolve), (mods) => callback && callback(mods));
          else log.error('import.meta.hot.accept() takes nothing, a callback, a dependency or a list of them, not', deps);
        },
        // Which exports were accepted only matters to a server that checks importers' bindings.
        acceptExports(_, callback) { add([record.key], (mods) => callback && callback(mods[0])); },
        dispose(callback) { if (typeof callback === 'function') record.disposers.push(callback); },
        prune(callback) { if (typeof callback === 'function') record.pruners.push(callback); },
        decline() { record.declined = true; },
        invalidate(message) {
          const first = invalidating || record.key;
          emit('vite:invalidate', { path: publicName(record.key), message, firstInvalidatedBy: publicName(first) });
          log.info('invalidated', record.key + (message ? ': ' + message : ''));
          onInvalidate({ key: record.key, firstInvalidatedBy: first, message });
        },
        on(event, callback) {
          if (typeof callback !== 'function') return;
          subscribe(String(event), callback);
          record.listeners.push([String(event), callback]);
        },
        off(event, callback) {
          unsubscribe(String(event), callback);
          record.listeners = record.listeners.filter(([e, f]) => !(e === String(event) && f === callback));
        },
        send(event) {
          warnOnce('import.meta.hot.send(' + JSON.stringify(String(event)) + ') goes nowhere: hmrd has no channel from the page back');
        },
      };
    }

    // What the running instances accept, for propagateUpdate: a Map's get, has and set,
    // each module worked out when asked (an update asks of a few of hundreds).
    function accepts() {
      const known = new Map();
      return {
        get(key) {
          if (!known.has(key)) known.set(key, acceptsOf(key));
          return known.get(key);
        },
        has(key) { return this.get(key) !== undefined; },
        set(key, value) { known.set(key, value); return this; },
      };
    }

    function acceptsOf(key) {
      const record = records.get(key);
      if (!record) return undefined;
      const deps = new Set();
      let self = false;
      for (const { deps: list } of record.callbacks) {
        for (const dep of list) {
          if (dep === key) self = true;
          else if (dep !== null) deps.add(dep);
        }
      }
      return { self, deps, declined: record.declined };
    }

    // Each dispose handler runs once: the list is emptied before they run.
    async function dispose(keys) {
      const results = [];
      for (const key of keys) {
        const record = records.get(key);
        if (!record) continue;
        const handlers = record.disposers;
        record.disposers = [];
        for (const handler of handlers) {
          try { results.push(handler(dataOf(key))); } catch (error) { log.error('a dispose handler of', key, 'threw:', error); }
        }
      }
      await Promise.allSettled(results);
    }

    // An import that failed after the new instance's context was made: the old instance
    // still runs, so its accepts and listeners are the ones that count again.
    function restore(key, before) {
      if (records.get(key) === before) return;
      forget(key);
      if (before) {
        records.set(key, before);
        for (const [event, callback] of before.listeners) subscribe(event, callback);
      }
    }

    function forget(key) {
      const record = records.get(key);
      if (record) for (const [event, callback] of record.listeners) unsubscribe(event, callback);
      records.delete(key);
    }

    // Carries out a plan of propagateUpdate: the replaced instances' dispose handlers
    // run, each accepted module is imported anew (`load(key)` → its namespace), and the
    // callbacks that the boundaries' running instances registered get the new modules.
    // A module that fails to import keeps its old version running (logged), unless it
    // is in an import cycle, which only a reload puts back in order.
    // Resolves to { updated: keys, failed: keys, reload: null | reason, errors }: `errors`
    // says what failed to import and which accept callbacks threw, for the page's report.
    async function applyUpdate(plan, load, firstInvalidatedBy = null) {
      const timestamp = now();
      const payload = {
        type: 'update',
        updates: plan.boundaries.map((b) => ({
          type: 'js-update', path: publicName(b.boundary), acceptedPath: publicName(b.accepted), timestamp,
          explicitImportRequired: false, isWithinCircularImport: b.circular,
          firstInvalidatedBy: firstInvalidatedBy === null ? undefined : publicName(firstInvalidatedBy),
        })),
      };
      await emit('vite:beforeUpdate', payload);

      // The callbacks are taken now: a new instance starts with none of its own.
      const acceptedBy = new Map();
      for (const { boundary, accepted } of plan.boundaries) {
        if (!acceptedBy.has(boundary)) acceptedBy.set(boundary, new Set());
        acceptedBy.get(boundary).add(accepted);
      }
      const calls = [];
      for (const [boundary, accepted] of acceptedBy) {
        const record = records.get(boundary);
        for (const callback of record ? record.callbacks : []) {
          if (callback.deps.some((dep) => accepted.has(dep))) calls.push({ boundary, accepted, callback });
        }
      }
      const targets = Array.from(new Set(plan.boundaries.map((b) => b.accepted))).sort();
      // `plan.running`: accepted modules whose new instance runs already (after invalidate()).
      const running = new Set(plan.running || []);
      await dispose(Array.from(new Set(plan.replaced.concat(targets))).filter((key) => !running.has(key)).sort());

      invalidating = firstInvalidatedBy;
      try {
        const before = new Map(targets.map((key) => [key, records.get(key)]));
        const settled = await Promise.allSettled(targets.map((key) => Promise.resolve().then(() => load(key))));
        const fresh = new Map();
        const failed = [];
        const errors = [];
        settled.forEach((result, i) => {
          const key = targets[i];
          if (result.status === 'fulfilled') { fresh.set(key, result.value); return; }
          failed.push(key);
          restore(key, before.get(key));
          log.error('could not import the new ' + key + '; its old version keeps running:', result.reason);
          errors.push('could not import the new ' + key + ': ' + describeError(result.reason));
        });
        const cycle = plan.boundaries.find((b) => b.circular && failed.includes(b.accepted));
        if (cycle) return { updated: [], failed, errors, reload: cycle.accepted + ' failed to import, and it is in an import cycle' };

        for (const { boundary, accepted, callback } of calls) {
          if (!callback.deps.some((dep) => accepted.has(dep) && fresh.has(dep))) continue;
          try {
            callback.fn(callback.deps.map((dep) => (accepted.has(dep) ? fresh.get(dep) : undefined)));
          } catch (error) {
            log.error('an import.meta.hot.accept callback of', boundary, 'threw:', error);
            errors.push('an import.meta.hot.accept callback of ' + boundary + ' threw: ' + describeError(error));
          }
        }
        await emit('vite:afterUpdate', payload);
        return { updated: targets.filter((key) => fresh.has(key)), failed, reload: null, errors };
      } finally {
        invalidating = null;
      }
    }

    // Modules nothing imports any more: dispose, then prune handlers, then they are forgotten.
    async function prune(keys) {
      if (!keys.length) return;
      await emit('vite:beforePrune', { type: 'prune', paths: keys.map(publicName) });
      await dispose(keys);
      const results = [];
      for (const key of keys) {
        const record = records.get(key);
        for (const handler of record ? record.pruners : []) {
          try { results.push(handler(dataOf(key))); } catch (error) { log.error('a prune handler of', key, 'threw:', error); }
        }
      }
      await Promise.allSettled(results);
      for (const key of keys) {
        forget(key);
        dataByKey.delete(key);
      }
    }

    // Every payload of the stream reaches on(action) listeners, as hmr.on's do; a failed
    // build is also Vite's vite:error.
    function receive(payload) {
      emit(String(payload.action), payload);
      const errors = Array.isArray(payload.errors) ? payload.errors : [];
      if ((payload.action === 'built' || payload.action === 'sync') && errors.length) {
        emit('vite:error', { type: 'error', err: { message: errors.join('\n'), stack: '' } });
      }
    }

    return {
      context, accepts, applyUpdate, prune, emit, receive,
      // Keys of the instances that made a context, with when: modules the page runs.
      instances: () => Array.from(records.values(), (r) => ({ key: r.key, at: r.at })),
      setInvalidateHandler(handler) { onInvalidate = handler; },
    };
  }

  // How Vite's payloads name a module: its path under the public base, led by "/".
  function publicName(key) {
    return /^[a-z][a-z0-9+.-]*:/i.test(key) ? key : '/' + key;
  }

  // An error as the terminal should show it: its stack where it has one (which names it), else its text.
  function describeError(error) {
    if (error && typeof error.stack === 'string' && error.stack) {
      const message = String(error.message || '');
      return error.stack.includes(message) ? error.stack : String(error) + '\n' + error.stack;
    }
    return String(error);
  }

  // --- src/esm.js
  // Hot updates of the ES modules the daemon serves with versions: which changes are
  // theirs, the graph of each build (fetched once, a few kept), and the queue that
  // plans and applies them one build after another. propagate.js and hot.js decide;
  // the browser is passed in from graphFetcher and watchPageModules, at the end.

  const GRAPHS_KEPT = 3; // The page's build, the newest, and the one a slow update still needs.

  // `fetchGraph(hash, since)` → the graph's JSON (what changed since build `since`, when
  // given and the daemon still has it), or null when the daemon no longer has it;
  // `importModule(url)` → a module namespace; `preloadModules(urls)` fetches modules
  // without running them; `baseUrl()` → the public base;
  // `page` → { sightings(): [key, at] pairs, roots(): Set of entry keys }; `currentHash()`
  // → the build the page shows; `reloadPage()` reloads, when `canReload` (?reload).
  function createEsm({ runtime, fetchGraph, importModule, preloadModules = () => {}, baseUrl, page, currentHash, canReload, reloadPage, log, now }) {
    const graphs = new Map(); // build hash → promise of readGraph's graph, or null
    const pruned = new Map(); // key → when it was pruned; a later load runs it again
    let queue = Promise.resolve();
    let latest = null; // The newest graph an update used, for invalidate().
    let reloading = false;

    runtime.setInvalidateHandler(({ key, firstInvalidatedBy }) => {
      enqueue(() => invalidate(key, firstInvalidatedBy));
    });

    // Build `hash`'s graph: the difference from build `since`'s when the page has that
    // graph (an edit's few modules, not all of them), else whole. `inline`: the
    // difference the `built` payload carried, so nothing need be asked for.
    function graphFor(hash, since = null, inline = null) {
      if (!graphs.has(hash)) {
        const base = since !== null && since !== hash ? graphs.get(since) : undefined;
        const carried = base && inline && inline.since === since ? Object.assign({}, inline, { hash }) : null;
        const promise = base ? graphSince(hash, since, base, carried) : wholeGraph(hash);
        promise.catch(() => { if (graphs.get(hash) === promise) graphs.delete(hash); }); // Asked again next time.
        graphs.set(hash, promise);
        for (const old of graphs.keys()) if (graphs.size > GRAPHS_KEPT) graphs.delete(old);
      }
      return graphs.get(hash);
    }

    function wholeGraph(hash) {
      return Promise.resolve().then(() => fetchGraph(hash, null)).then((json) => (json === null ? null : readGraph(json)));
    }

    // Asked at once, while the earlier graph may still be on its way.
    function graphSince(hash, since, base, carried) {
      const answer = carried ? Promise.resolve(carried) : Promise.resolve().then(() => fetchGraph(hash, since));
      return Promise.all([base.catch(() => null), answer]).then(([earlier, json]) => {
        if (json === null) return null;
        if (json.since === undefined) return readGraph(json); // The daemon no longer had `since`: it is whole.
        if (earlier && json.since === since) return applyGraphDelta(earlier, json);
        return wholeGraph(hash);
      });
    }

    // Keys of the modules the page runs: entry scripts, resources it loaded and modules
    // that made a hot context, less those pruned since they were last seen loading.
    function loaded() {
      const keys = new Set(page.roots());
      const runs = (key, at) => !pruned.has(key) || at > pruned.get(key);
      for (const [key, at] of page.sightings()) if (runs(key, at)) keys.add(key);
      for (const { key, at } of runtime.instances()) if (key !== null && runs(key, at)) keys.add(key);
      return keys;
    }

    // Splits a build's diff: changed .js/.mjs the page runs and no hmr.accept handler
    // claims are ours (`keys`); the rest of the diff goes on as before. Pruned modules
    // are ours too, to be ignored: the page fetched them once but runs them no more.
    function take(diff, legacyAccepted) {
      const running = loaded();
      const ours = (key) => isModuleKey(key) && (running.has(key) || pruned.has(key)) && !legacyAccepted.has(key);
      return {
        keys: diff.added.concat(diff.updated).filter(ours).sort(),
        rest: { added: diff.added.filter((k) => !ours(k)), removed: diff.removed, updated: diff.updated.filter((k) => !ours(k)) },
      };
    }

    function enqueue(job) {
      queue = queue.then(() => (reloading ? { status: 'reloading', errors: [] } : job()))
        .catch((error) => {
          log.error('could not apply a module update:', error);
          return { status: 'failed', errors: ['could not apply a module update: ' + describeError(error)] };
        });
      return queue;
    }

    // Vite's listeners hear of a reload just before it happens.
    function announceReload(key) {
      runtime.emit('vite:beforeFullReload', { type: 'full-reload', triggeredBy: key ? publicName(key) : undefined });
    }

    // Resolves an update's outcome: reloading, or failed where the page may not reload.
    function reloadFor(reason, key) {
      if (!canReload) {
        log.info('a reload is needed:', reason, '(reload=false)');
        return { status: 'failed', errors: ['a reload is needed (reload=false): ' + reason] };
      }
      announceReload(key);
      log.info('reloading:', reason);
      reloading = true; // Later updates wait for nothing: the page is going.
      reloadPage();
      return { status: 'reloading', errors: [] };
    }

    // The graph of a build whose modules the page runs, asked for before the page is
    // scanned for the rest of the build: update() will want it.
    function prefetch(hash, previous, inline) {
      graphFor(hash, previous, inline).catch(() => {});
    }

    // The update of build `hash` from build `previous`, after the updates before it.
    // Resolves to its outcome: { status: 'applied' | 'failed' | 'reloading', errors }.
    function update(hash, previous, keys) {
      const next = graphFor(hash, previous);
      const before = previous ? graphFor(previous).catch(() => null) : Promise.resolve(null);
      next.catch(() => {}); // Handled in the job; not an unhandled rejection meanwhile.
      return enqueue(() => applyBuild(hash, next, before, keys));
    }

    async function applyBuild(hash, next, before, keys) {
      let graph;
      try {
        graph = await next;
      } catch (error) {
        return reloadFor('could not read the module graph of build ' + hash + ': ' + (error && error.message), keys[0]);
      }
      if (graph === null) return reloadFor('the daemon no longer has the module graph of build ' + hash, keys[0]);
      latest = graph;
      const outside = keys.filter((key) => !graph.modules.has(key));
      if (outside.length) return reloadFor(summarize(outside) + ' changed and the module graph does not have it', outside[0]);
      const running = loaded();
      const plan = propagateUpdate(graph, keys, running, runtime.accepts());
      if (plan.reload) return reloadFor(plan.reload.reason, plan.reload.key);
      const outcome = await apply(plan, graph, null);
      if (outcome.status !== 'applied') return outcome;
      const gone = prunedModules(await before, graph, running, page.roots());
      if (gone.length) {
        for (const key of gone) pruned.set(key, now());
        await runtime.prune(gone);
        log.info('pruned', summarize(gone));
      }
      return outcome;
    }

    // invalidate(): the module cannot take its update, so the update goes on as if it
    // did not accept itself (Vite's documented rule): an importer that accepts it, or
    // one further up, takes it; an update that comes back to the first invalidator reloads.
    async function invalidate(key, firstInvalidatedBy) {
      let graph = latest;
      if (!graph) {
        try { graph = await graphFor(currentHash()); } catch (_) { graph = null; }
        if (!graph) return reloadFor(key + ' called invalidate() and the module graph cannot be read', key);
      }
      const running = loaded();
      if (!loadedImporters(graph, key, running).length) {
        return reloadFor(key + ' called invalidate() and nothing the page runs imports it', key);
      }
      const accepts = runtime.accepts();
      accepts.set(key, Object.assign({}, accepts.get(key) || { deps: new Set(), declined: false }, { self: false }));
      const plan = propagateUpdate(graph, [key], running, accepts, firstInvalidatedBy === key ? null : firstInvalidatedBy);
      if (plan.reload) return reloadFor(plan.reload.reason, plan.reload.key);
      // Its new instance is already running: the boundaries get that one, not another.
      plan.replaced = plan.replaced.filter((replaced) => replaced !== key);
      plan.running = [key];
      await apply(plan, graph, firstInvalidatedBy);
      return undefined;
    }

    // Applied when the plan was carried out, with what failed on the way (a module that
    // kept its old version, a callback that threw).
    async function apply(plan, graph, firstInvalidatedBy) {
      if (!plan.boundaries.length) return { status: 'applied', errors: [] };
      const base = baseUrl();
      const url = (key) => versionedUrl(key, graph.modules.get(key).version, base);
      // Every new instance is fetched at once: imported, each would be found only once
      // its importer had arrived, one round trip after another.
      const running = new Set(plan.running || []);
      try {
        preloadModules(plan.replaced.filter((key) => !running.has(key)).map(url));
      } catch (_) { /* Only a head start: the imports fetch them anyway. */ }
      const load = (key) => importModule(url(key));
      const result = await runtime.applyUpdate(plan, load, firstInvalidatedBy);
      if (result.reload) return reloadFor(result.reload, result.failed[0]);
      const done = plan.boundaries.filter((b) => !result.failed.includes(b.accepted))
        .map((b) => (b.boundary === b.accepted ? b.boundary : b.accepted + ' via ' + b.boundary));
      if (done.length) log.info('hot updated', summarize(done, 5));
      const errors = result.errors || [];
      return { status: errors.length ? 'failed' : 'applied', errors };
    }

    return { take, prefetch, update, announceReload, loaded, idle: () => queue };
  }

  // GET <stream>/graph?build=<hash>: the graph's JSON, or null for a build the daemon no
  // longer keeps (404).
  function graphFetcher(streamUrl) {
    return (hash, since) => fetch(streamUrl + '/graph?build=' + encodeURIComponent(hash) +
      (since ? '&since=' + encodeURIComponent(since) : '')).then((response) => {
      if (response.status === 404) return null;
      if (!response.ok) throw new Error('the daemon answered ' + response.status);
      return response.json();
    });
  }

  // What the page runs, as sightings of module keys: <script type=module src> (the
  // entries) and every resource it fetched, with when. The observer sees every load,
  // however full the resource buffer; without one the buffer is read (made large at boot).
  function watchPageModules(toPath) {
    const seen = new Map(); // key → the latest startTime a resource of it was fetched at
    const note = (entry) => {
      const key = toPath(entry.name);
      if (key !== null && isModuleKey(key) && !(seen.get(key) >= entry.startTime)) seen.set(key, entry.startTime);
    };
    let observer = null;
    if (typeof PerformanceObserver === 'function') {
      try {
        observer = new PerformanceObserver((list) => list.getEntries().forEach(note));
        observer.observe({ type: 'resource', buffered: true });
        if (typeof observer.takeRecords !== 'function') observer = null;
      } catch (_) { observer = null; }
    }
    const roots = () => {
      const keys = new Set();
      for (const script of document.querySelectorAll('script[type="module"][src]')) {
        const key = toPath(script.src);
        if (key !== null) keys.add(key);
      }
      return keys;
    };
    return {
      roots,
      sightings() {
        if (observer) {
          observer.takeRecords().forEach(note); // Loads it has not delivered yet.
        } else if (typeof performance !== 'undefined' && typeof performance.getEntriesByType === 'function') {
          performance.getEntriesByType('resource').forEach(note);
        }
        return seen;
      },
    };
  }

  // --- src/morph.js
  // The keyed morph behind in-place HTML updates: it changes the live document to
  // match a new copy of its HTML, and what did not change stays the same nodes. The
  // decisions are pure (matchChildren, attributeChanges, elementKey); createMorph
  // walks any DOM-like tree with them, and morphDocument keeps focus and scroll.

  const MATCH_WINDOW = 8; // Siblings looked ahead for a match: edits a few nodes apart still pair, the work stays linear.
  const ELEMENT_NODE = 1;

  // A script the browser runs (not a data block such as JSON-LD), by its type attribute.
  function isCodeScript(type) {
    const essence = String(type == null ? '' : type).split(';')[0].trim().toLowerCase();
    return essence === '' || essence === 'module' || essence === 'importmap' || essence === 'speculationrules' ||
      /^(application|text)\/(x-)?(ecma|java)script$|^text\/(javascript1\.[0-5]|jscript|livescript)$/.test(essence);
  }

  // What a script runs: two scripts with the same signature are the same script.
  // `attr(name)` reads an attribute (null when absent); `resolve(url)` makes a URL absolute.
  function scriptSignature(attr, text, resolve) {
    const src = attr('src');
    const type = String(attr('type') || '').trim().toLowerCase();
    const flags = ['nomodule', 'async', 'defer'].filter((name) => attr(name) !== null).join(' ');
    return JSON.stringify([type, src === null ? null : resolve(src), flags, src === null ? text : '']);
  }

  // What makes an element the same one in both copies wherever it stands, or null:
  // a script's signature, an id, or what a head element is about (one <title>, one
  // <meta name=description>, one stylesheet <link> per URL). `text()`: its text.
  function elementKey(tag, attr, text, resolve) {
    const name = String(tag).toUpperCase();
    if (name === 'SCRIPT' && isCodeScript(attr('type'))) return 'script ' + scriptSignature(attr, text(), resolve);
    if (attr('id')) return '#' + attr('id');
    const lower = (a) => String(attr(a) || '').trim().toLowerCase();
    if (name === 'TITLE' || name === 'BASE') return name.toLowerCase();
    if (name === 'META') {
      const about = ['charset', 'http-equiv', 'name', 'property', 'itemprop'].find((a) => attr(a) !== null);
      return about ? 'meta ' + about + '=' + (about === 'charset' ? '' : lower(about)) : null;
    }
    if (name === 'LINK' && attr('href') !== null) return 'link ' + lower('rel') + ' ' + resolve(attr('href'));
    return null;
  }

  // Pairs each new child with a live one (its index), or -1 for "make it". Items are
  // { kind, key }: kind the node name, key as elementKey or null. Keyed children pair
  // by key wherever they stand, and only by key. The others pair in order: an
  // identical one close ahead first (`same(i, j)`: live i equals new j), else the next
  // one of the same kind; neither search passes a live element that a new child close
  // ahead is identical to (so an insertion does not shift every later sibling by one).
  function matchChildren(live, next, same) {
    const pairs = next.map(() => -1);
    const taken = live.map(() => false);
    const id = (item) => (item.key === null || item.key === undefined ? null : item.kind + ' ' + item.key);
    const byKey = new Map();
    live.forEach((item, i) => {
      if (id(item) === null) return;
      if (!byKey.has(id(item))) byKey.set(id(item), []);
      byKey.get(id(item)).push(i);
    });
    next.forEach((item, j) => {
      if (id(item) === null) return;
      const queue = byKey.get(id(item));
      if (!queue || !queue.length) return;
      pairs[j] = queue.shift();
      taken[pairs[j]] = true;
    });
    const free = (i) => !taken[i] && id(live[i]) === null; // A keyed live child pairs by its key or not at all.
    const sameAhead = (i, j) => {
      for (let k = j + 1; k < next.length && k <= j + MATCH_WINDOW; k++) {
        if (pairs[k] < 0 && next[k].kind === live[i].kind && same(i, k)) return true;
      }
      return false;
    };
    let cursor = 0;
    next.forEach((item, j) => {
      if (pairs[j] >= 0) return;
      while (cursor < live.length && taken[cursor]) cursor++;
      let found;
      let first; // The first free one of the same kind: the stand-in if none is identical.
      for (let i = cursor, seen = 0; i < live.length && seen < 2 * MATCH_WINDOW; i++) {
        if (!free(i)) continue;
        seen++;
        const kin = live[i].kind === item.kind;
        if (kin && same(i, j)) { found = i; break; }
        // A new child close ahead is this one: going past it would lose it. (Not for text
        // or comments: whitespace between elements is all alike.)
        if (live[i].kind[0] !== '#' && sameAhead(i, j)) break;
        if (kin && first === undefined) first = i;
      }
      if (found === undefined) found = first;
      if (found === undefined) return;
      pairs[j] = found;
      taken[found] = true;
      cursor = found + 1;
    });
    return pairs;
  }

  // The attributes to set ([name, value]) and remove to turn `live` into `next` (Maps
  // of name → value). With `old`, the file's previous attributes, only what the file
  // changed is applied, so attributes the page's scripts set stay. `keepLive(name,
  // liveValue, newValue)` keeps a live value that stands for the new one.
  function attributeChanges(live, next, old, keepLive) {
    const set = [];
    const remove = [];
    for (const [name, value] of next) {
      if (live.get(name) === value || (old && old.get(name) === value)) continue;
      if (live.has(name) && keepLive && keepLive(name, live.get(name), value)) continue;
      set.push([name, value]);
    }
    for (const name of live.keys()) {
      if (!next.has(name) && (!old || old.has(name))) remove.push(name);
    }
    return { set, remove };
  }

  // An error that means "reload instead": the morph met something it must not do.
  function notPatchable(why) {
    const error = new Error(why);
    error.notPatchable = true;
    return error;
  }

  // Returns morph(doc, live, next, old): makes the tree `live` match `next`, a parsed
  // copy; `old` (or null) is the copy `live` was made from, for a three-way morph in
  // which what the file did not change is left as the page has it. Hooks: keyOf(el),
  // skipLive(node) and skipNext(node) (nodes the morph neither matches nor touches),
  // isScript(el), keepLive(name, liveValue, newValue).
  function createMorph(hooks) {
    const { keyOf, skipLive, skipNext, isScript, keepLive } = hooks;
    const keyed = (node) => (node.nodeType === ELEMENT_NODE ? keyOf(node) : null);
    const attributes = (el) => new Map(Array.from(el.attributes, (a) => [a.name, a.value]));
    // The elements under `root` that may move between parents: those with an id, and scripts.
    const movers = (root, skip, visit) => {
      for (const el of Array.from(root.querySelectorAll('[id], script'))) if (!skip(el)) visit(el);
    };

    return function morph(doc, live, next, old) {
      // Live elements that may move here from elsewhere (scripts, and ids unique in both
      // trees), and the new elements with one inside. Found the first time a node is to
      // be removed or made, before any is: an edit of text or attributes needs neither.
      const stock = new Map();
      const holds = new Set();
      const used = new Set();
      let movable = null;
      function index() {
        const liveCount = new Map();
        const nextCount = new Map();
        const bump = (counts, key) => counts.set(key, (counts.get(key) || 0) + 1);
        movers(live, skipLive, (el) => {
          const key = keyOf(el);
          if (key === null) return;
          bump(liveCount, key);
          if (!stock.has(key)) stock.set(key, []);
          stock.get(key).push(el);
        });
        const nextKeyed = [];
        movers(next, skipNext, (el) => {
          const key = keyOf(el);
          if (key !== null) bump(nextCount, key);
          if (key !== null || isScript(el)) nextKeyed.push([el, key]);
        });
        movable = (key) => key.startsWith('script ') || (key[0] === '#' && liveCount.get(key) === 1 && nextCount.get(key) === 1);
        for (const [el, key] of nextKeyed) {
          if (!(key !== null && movable(key)) && !isScript(el)) continue;
          for (let up = el.parentNode; up && up !== next && !holds.has(up); up = up.parentNode) holds.add(up);
        }
      }

      function morphNode(l, n, o) {
        if (o && o.isEqualNode(n)) return; // The file did not change here: what the page made of it stays.
        if (l.nodeType !== ELEMENT_NODE) {
          if (l.nodeValue !== n.nodeValue) l.nodeValue = n.nodeValue;
          return;
        }
        // Compared with the file's old copy it differs; the live element (like the old one,
        // unless a script changed it) is not compared again, which costs as much.
        if (isScript(l) || (!o && l.isEqualNode(n))) return;
        const changes = attributeChanges(attributes(l), attributes(n), o && attributes(o), keepLive);
        for (const name of changes.remove) l.removeAttribute(name);
        for (const [name, value] of changes.set) {
          const attr = n.getAttributeNode ? n.getAttributeNode(name) : null;
          if (attr && attr.namespaceURI) l.setAttributeNS(attr.namespaceURI, name, value);
          else l.setAttribute(name, value);
        }
        // With scripting on, a live <noscript> holds text where the parsed copy holds elements.
        if (String(l.nodeName).toUpperCase() === 'NOSCRIPT') return;
        if (l.content && n.content && String(l.nodeName).toUpperCase() === 'TEMPLATE') {
          if (!l.content.isEqualNode(n.content)) l.content.replaceChildren(doc.importNode(n.content, true));
          return;
        }
        morphChildren(l, n, o);
      }

      function morphChildren(l, n, o) {
        const liveKids = Array.from(l.childNodes).filter((c) => !skipLive(c));
        const nextKids = Array.from(n.childNodes).filter((c) => !skipNext(c));
        const oldKids = o ? Array.from(o.childNodes).filter((c) => !skipNext(c)) : null;
        const item = (c) => ({ kind: c.nodeName, key: keyed(c) });
        const liveItems = liveKids.map(item);
        const nextItems = nextKids.map(item);
        const oldItems = oldKids && oldKids.map(item);
        const identical = nextKids.map(() => -1); // The old child each new one was found identical to.
        const toOld = oldKids && matchChildren(oldItems, nextItems, (i, j) => {
          const same = oldKids[i].isEqualNode(nextKids[j]);
          if (same) identical[j] = i;
          return same;
        });
        // Live children still shaped like the file's (as they are unless a script moved
        // things) pair through it, and none of them needs comparing.
        const shaped = toOld && liveItems.length === oldItems.length &&
          liveItems.every((it, i) => it.kind === oldItems[i].kind && it.key === oldItems[i].key);
        const toLive = shaped ? toOld :
          matchChildren(liveItems, nextItems, (i, j) => liveKids[i].isEqualNode(nextKids[j]));
        const paired = new Set();
        for (const i of toLive) if (i >= 0) { paired.add(liveKids[i]); used.add(liveKids[i]); }
        if (movable === null && (paired.size < liveKids.length || toLive.includes(-1))) index();
        const staying = new Set(); // Scripts the page added itself: they have run; taking them out undoes nothing.
        for (const c of liveKids) {
          if (paired.has(c)) continue;
          if (c.nodeType === ELEMENT_NODE && isScript(c)) staying.add(c);
          else l.removeChild(c);
        }
        const after = (c) => {
          while (c && (skipLive(c) || staying.has(c))) c = c.nextSibling;
          return c;
        };
        let cursor = after(l.firstChild);
        nextKids.forEach((c, j) => {
          let node;
          if (toLive[j] >= 0) {
            node = liveKids[toLive[j]];
            const old = toOld && toOld[j] >= 0 ? oldKids[toOld[j]] : null;
            if (identical[j] < 0 || identical[j] !== toOld[j]) morphNode(node, c, old); // Else the file left it as it was.
          } else {
            node = adopt(c);
          }
          if (node === cursor) cursor = after(node.nextSibling);
          else l.insertBefore(node, cursor);
        });
      }

      // The node for a new child no live sibling matched: a live element with its key
      // moved from elsewhere, else a copy; a script is never made, only moved.
      function adopt(c) {
        const key = keyed(c);
        const found = key !== null && movable(key) && (stock.get(key) || []).find((el) => !used.has(el));
        if (found) {
          used.add(found);
          morphNode(found, c, null);
          return found;
        }
        if (c.nodeType === ELEMENT_NODE && isScript(c)) throw notPatchable('a script would have to run again');
        if (!holds.has(c)) return doc.importNode(c, true);
        const copy = doc.importNode(c, false);
        for (const child of Array.from(c.childNodes)) if (!skipNext(child)) copy.appendChild(adopt(child));
        return copy;
      }

      morphNode(live, next, old);
    };
  }

  // What the user has going on that a morph may disturb: the focused element and its
  // selection, the document's selection, the scroll position.
  function saveUserState() {
    const active = document.activeElement;
    let field = null;
    try {
      if (active && typeof active.selectionStart === 'number') {
        field = [active.selectionStart, active.selectionEnd, active.selectionDirection];
      }
    } catch (_) { /* An input type without a text selection. */ }
    const selection = document.getSelection ? document.getSelection() : null;
    const range = selection && selection.rangeCount && !field ?
      [selection.anchorNode, selection.anchorOffset, selection.focusNode, selection.focusOffset] : null;
    return { active, field, selection, range, x: window.scrollX, y: window.scrollY };
  }

  // Puts back what a morph moved: a node moved elsewhere loses focus and selection.
  function restoreUserState(state) {
    const { active, field, selection, range } = state;
    if (active && active !== document.body && active.isConnected && document.activeElement !== active) {
      try { active.focus({ preventScroll: true }); } catch (_) { /* Not focusable any more. */ }
    }
    if (field && document.activeElement === active &&
        (active.selectionStart !== field[0] || active.selectionEnd !== field[1])) {
      try { active.setSelectionRange(field[0], field[1], field[2]); } catch (_) { /* Its type changed. */ }
    }
    const length = (node) => (node.nodeType === ELEMENT_NODE ? node.childNodes.length : node.length);
    if (range && range[0].isConnected && range[2].isConnected &&
        (selection.anchorNode !== range[0] || selection.anchorOffset !== range[1] ||
         selection.focusNode !== range[2] || selection.focusOffset !== range[3])) {
      try {
        selection.setBaseAndExtent(range[0], Math.min(range[1], length(range[0])), range[2], Math.min(range[3], length(range[2])));
      } catch (_) { /* The nodes can no longer hold a selection. */ }
    }
    if (window.scrollX !== state.x || window.scrollY !== state.y) window.scrollTo(state.x, state.y);
  }

  // Morphs the live document to `next` (a parsed copy of its HTML; `old`: the copy it
  // was loaded or last patched from, or null), keeping focus, selection and scroll.
  function morphDocument(next, old, hooks) {
    const state = saveUserState();
    try {
      createMorph(hooks)(document, document.documentElement, next.documentElement, old ? old.documentElement : null);
    } finally {
      restoreUserState(state);
    }
  }

  // --- src/html.js
  // The page's own HTML, patched in place: fetch this build's copy of the page, check
  // that nothing in it needs a reload (its scripts, <base>, http-equiv, doctype), and
  // morph the live document to it (morph.js). update() resolves false when it cannot,
  // and the caller reloads. patch() is the second half, for copies fetched elsewhere.

  // Whether the only reasons to reload are the page's own HTML (`page`: its possible paths).
  function pageHtmlOnly(plan, page) {
    const own = new Set(page || []);
    return plan.reload && plan.reloadFor.length > 0 && plan.reloadFor.every((path) => own.has(path));
  }

  // Whether a Content-Type is HTML's.
  function isHtmlType(type) {
    return /^\s*text\/html\s*(;|$)/i.test(type || '');
  }

  // The page's URL asking for one build's copy (?hmr=<hash>), without its fragment.
  function pageHtmlUrl(pageUrl, hash) {
    const url = new URL(cacheBustUrl(pageUrl, hash));
    url.hash = '';
    return url.href;
  }

  // The absolute URL without the ?hmr= parameter that swaps add.
  function withoutBust(href, baseUrl) {
    let url;
    try { url = new URL(href, baseUrl); } catch (_) { return String(href); }
    const kept = url.search.replace(/^\?/, '').split('&')
      .filter((part) => part !== '' && decodeSegment(part.split('=')[0]) !== CACHE_BUST_PARAM);
    url.search = kept.length ? '?' + kept.join('&') : '';
    return url.href;
  }

  // Whether a live attribute value is the new one with ?hmr= added by an image or
  // stylesheet swap: then it stays, so the morph does not ask for the old bytes again.
  function keepsBustedUrl(name, liveValue, newValue, baseUrl) {
    if (String(liveValue).indexOf(CACHE_BUST_PARAM + '=') < 0) return false;
    const plain = (url) => withoutBust(url, baseUrl);
    switch (name) {
      case 'href': case 'src': case 'poster': case 'data': return plain(liveValue) === plain(newValue);
      case 'srcset': return rewriteSrcset(liveValue, plain) === rewriteSrcset(newValue, plain);
      case 'style': return rewriteCssUrls(liveValue, plain) === rewriteCssUrls(newValue, plain);
      default: return false;
    }
  }

  // Why a page whose HTML went from `was` to `now` (documentFacts) must reload, or null.
  function whyNotPatchable(was, now) {
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    if (was.body !== 'BODY' || now.body !== 'BODY') return 'it has no <body> to patch';
    if (was.mode !== now.mode) return 'its doctype changed the rendering mode';
    if (!same(was.base, now.base)) return 'its <base> changed';
    if (!same(was.meta, now.meta)) return 'a <meta charset> or <meta http-equiv> changed';
    if (!same(was.scripts, now.scripts)) return 'its scripts changed (they do not run again in place)';
    return null;
  }

  // The parts of a document that a morph cannot carry over. `isClient(el)`: the
  // client's own <script>, which the daemon writes with each build's hash.
  function documentFacts(doc, isClient, resolve) {
    const attr = (el) => (name) => el.getAttribute(name);
    const all = (selector) => Array.from(doc.querySelectorAll(selector));
    return {
      body: doc.body ? String(doc.body.nodeName).toUpperCase() : null,
      mode: doc.compatMode,
      base: all('base').map((el) => [el.getAttribute('href'), el.getAttribute('target')]),
      meta: all('meta[charset], meta[http-equiv]').map((el) =>
        [el.getAttribute('charset'), String(el.getAttribute('http-equiv') || '').toLowerCase(), el.getAttribute('content')]),
      scripts: all('script').filter((el) => isCodeScript(el.getAttribute('type')) && !isClient(el))
        .map((el) => scriptSignature(attr(el), el.textContent, resolve)),
    };
  }

  // `clientUrl`: where this client was loaded from. With `morph`, the page is copied
  // once parsed (an inert copy), so a morph changes only what the file changed:
  // content and attributes the page's scripts made elsewhere stay.
  function createHtmlUpdater({ log, clientUrl, morph }) {
    const clientKey = clientUrl ? canonicalUrl(clientUrl) : null;
    const resolve = (url) => withoutBust(url, document.baseURI);
    const isScriptTag = (el) => el.nodeName === 'SCRIPT' || el.nodeName === 'script';
    const isClient = (el) => isScriptTag(el) && clientKey !== null && el.getAttribute('src') !== null &&
      canonicalUrl(el.getAttribute('src'), document.baseURI) === clientKey;
    const hooks = {
      keyOf: (el) => elementKey(el.nodeName, (name) => el.getAttribute(name), () => el.textContent, resolve),
      skipLive: (node) => node.nodeType === ELEMENT_NODE &&
        (node.__hmrLeaving === true || isClient(node) || /^HMRD-/i.test(node.nodeName)),
      skipNext: (node) => node.nodeType === ELEMENT_NODE && isClient(node),
      isScript: (el) => isScriptTag(el) && isCodeScript(el.getAttribute('type')),
      keepLive: (name, liveValue, newValue) => keepsBustedUrl(name, liveValue, newValue, document.baseURI),
    };
    let file = null; // The HTML the page was loaded or last patched from (a document), or null if unknown.
    let latest = 0;

    // A copy as the morph compares it: without the client's tag (hmrd writes one into
    // every copy; the morph never touches it) and with each <noscript> empty (live, with
    // scripting on, it holds text; parsed, elements; the morph leaves its content alone).
    function inert(doc) {
      for (const el of Array.from(doc.querySelectorAll('script, noscript'))) {
        if (isClient(el)) el.remove();
        else if (String(el.nodeName).toUpperCase() === 'NOSCRIPT') el.replaceChildren();
      }
      return doc;
    }

    // An inert copy of the live page.
    function copyOfPage() {
      const copy = document.implementation.createHTMLDocument('');
      copy.replaceChild(copy.importNode(document.documentElement, true), copy.documentElement);
      return inert(copy);
    }

    function snapshot() {
      try { file = copyOfPage(); } catch (_) { file = null; }
    }
    // Parsed but before deferred and module scripts run; a client started later cannot
    // tell the file from what scripts made of it, and patches two-way.
    if (morph && document.readyState === 'loading' && typeof document.addEventListener === 'function') {
      document.addEventListener('readystatechange', snapshot, { once: true });
    }

    const available = () => typeof fetch === 'function' && typeof DOMParser === 'function' &&
      typeof TextDecoder === 'function';

    // Decodes the page as the browser did (a page need not be UTF-8).
    function decode(buffer) {
      try { return new TextDecoder(document.characterSet || 'utf-8').decode(buffer); } catch (_) {
        return new TextDecoder().decode(buffer);
      }
    }

    let early = null; // { hash, response }: prefetch()'s request, for update() to take.
    const request = (hash) => fetch(pageHtmlUrl(location.href, hash), { cache: 'no-store', credentials: 'same-origin' });

    // Asks for `hash`'s copy as the frame arrives, while the rest of the build is worked
    // out: update() takes it if it comes to a patch.
    function prefetch(hash) {
      if (!available()) return;
      early = { hash, response: request(hash) };
      early.response.catch(() => {}); // Handled by update(), if it is taken.
    }

    // Morphs the live page to `buffer`, a new copy of its HTML. Returns 'applied', or
    // 'unchanged' when the copy is the HTML the page shows (nothing is touched); throws
    // notPatchable when the page must reload. `path`: what changed, for the log.
    function patch(buffer, path) {
      const next = inert(new DOMParser().parseFromString(decode(buffer), 'text/html'));
      // The rendering mode and <body> are the live page's: an inert copy is always in standards mode.
      const was = Object.assign(documentFacts(file || document, isClient, resolve),
        { mode: document.compatMode, body: document.body ? String(document.body.nodeName).toUpperCase() : null });
      const why = whyNotPatchable(was, documentFacts(next, isClient, resolve));
      if (why) throw notPatchable(why);
      let same = false;
      try { same = (file || copyOfPage()).documentElement.isEqualNode(next.documentElement); } catch (_) { /* Patch to be sure. */ }
      if (same) {
        log.info('the page is the same after', path);
      } else {
        morphDocument(next, file, hooks);
        log.info('updated', path, 'in place');
      }
      file = next;
      return same ? 'unchanged' : 'applied';
    }

    // Resolves 'applied' or 'unchanged' once the page shows `hash`'s copy of `path`,
    // false when it must reload.
    function update(path, hash) {
      const mine = ++latest;
      if (!available()) return Promise.resolve(false);
      const response = early && early.hash === hash ? early.response : request(hash);
      early = null;
      return response
        .then((response) => {
          const type = response.headers.get('content-type') || '';
          if (!response.ok) throw notPatchable('the page was answered with ' + response.status);
          if (response.redirected && canonicalUrl(response.url) !== canonicalUrl(location.href)) {
            throw notPatchable('the page now redirects to ' + response.url); // Another page: not this one's HTML.
          }
          if (!isHtmlType(type)) throw notPatchable('the page is not HTML (' + (type || 'no type') + ')');
          return response.arrayBuffer();
        })
        .then((buffer) => {
          if (mine !== latest) return 'applied'; // A later build's copy is on its way and applies instead.
          return patch(buffer, path);
        })
        .catch((error) => {
          log.info('cannot update', path, 'in place:', error && error.notPatchable ? error.message : error);
          return false;
        });
    }

    return { prefetch, update, patch, available };
  }

  // --- src/refetch.js
  // Behind hmrd --proxy a backend renders the page from files it has no asset for (a
  // template, a .py file). When one changes, the page asks for its own URL again and
  // html.js patches what differs. A backend that restarts is waited out; an answer that
  // is not this page's HTML (another status, a redirect elsewhere) reloads it instead.

  const BACKEND_HEADER = 'X-Hmrd-Backend'; // "down" on the 502 page hmrd answers while the backend is not.
  const BACKEND_RETRY_MS = 300;            // That page is asked past this often,
  const BACKEND_WAIT_MS = 30000;           // for this long; then the page reloads into it, and it waits by itself.
  // A backend may answer the old page for a moment after a save: Django's cached template
  // loader is reset on its reloader's one-second tick, and runserver restarts for a .py a
  // second late. So the page is asked for again after these pauses, whatever the first
  // answer was (a CSRF token makes every answer differ), and patched each time.
  const SETTLE_PAUSES_MS = [300, 800, 1000];

  // The changed paths that are none of the page's assets: neither its own HTML, a module
  // it accepts, a stylesheet, an image nor anything else it loaded (`usage` as planUpdate
  // takes it). Removed files count: a template gone changes what renders.
  function unusedChanges(diff, usage) {
    const used = (path) => ['page', 'accepted', 'css', 'images', 'uses'].some((k) => Boolean(usage[k]) && usage[k].has(path));
    return diff.added.concat(diff.updated, diff.removed).filter((path) => !used(path)).sort();
  }

  // Whether an answer is hmrd's page for a backend that is down or restarting.
  function isBackendDown(status, header) {
    return status === 502 && String(header || '').trim().toLowerCase() === 'down';
  }

  // Why an answer ({ status, url, type }) to the page's own URL, asked for as
  // `requested`, cannot be patched in, or null.
  function refetchProblem(answer, requested) {
    if (answer.url && answer.url !== requested) return 'the page now redirects to ' + answer.url;
    if (answer.status < 200 || answer.status > 299) return 'the page was answered with ' + answer.status;
    if (!isHtmlType(answer.type)) return 'the page is not HTML (' + (answer.type || 'no type') + ')';
    return null;
  }

  // `html`: html.js's updater; `fetchPage(url)` resolves to a Response; `pageUrl()` is
  // the page's address; `wait(ms)` resolves after ms; `now()` is ms on any clock.
  function createRefetcher({ html, fetchPage, pageUrl, wait, now, log }) {
    let latest = 0;

    // Resolves to 'applied', 'unchanged' (the page's HTML is what it was), 'superseded'
    // (a later build's fetch took over) or { reload: why }. `path`: what changed, for the log.
    // The follow-ups (SETTLE_PAUSES_MS) patch quietly; one that cannot goes to `late`.
    function update(path, late = () => {}) {
      const mine = ++latest;
      const url = new URL(pageUrl());
      url.hash = '';
      const requested = url.href;
      const started = now();
      let told = false;
      const ask = () => fetchPage(requested).then((response) => {
        if (mine !== latest) return 'superseded';
        if (isBackendDown(response.status, response.headers.get(BACKEND_HEADER)) && now() - started < BACKEND_WAIT_MS) {
          if (!told) log.info('the backend is not answering; the page waits for it to update', path);
          told = true;
          return wait(BACKEND_RETRY_MS).then(() => (mine !== latest ? 'superseded' : ask()));
        }
        const why = refetchProblem({ status: response.status, url: response.url, type: response.headers.get('content-type') || '' },
          requested);
        if (why) throw notPatchable(why);
        return response.arrayBuffer().then((buffer) => (mine !== latest ? 'superseded' : html.patch(buffer, path)));
      }).catch((error) => {
        if (mine !== latest) return 'superseded';
        const why = error && error.notPatchable ? error.message : String(error);
        log.info('cannot update', path, 'in place:', why);
        return { reload: why };
      });
      const followUp = (n) => {
        if (n >= SETTLE_PAUSES_MS.length) return;
        wait(SETTLE_PAUSES_MS[n]).then(() => (mine !== latest ? 'superseded' : ask())).then((result) => {
          if (result === 'superseded') return;
          if (typeof result === 'string') followUp(n + 1);
          else late(result);
        });
      };
      return ask().then((result) => {
        if (typeof result === 'string' && result !== 'superseded') followUp(0);
        return result;
      });
    }

    return { update, available: html.available };
  }

  // --- src/updates.js
  // What a payload does to the page: `building` shows the indicator, a failed build
  // shows the overlay and applies nothing, and a good build with another hash is
  // diffed against the page's own and applied in place, or reloads the page. What came
  // of each build is told to `report` (report.js) once it is known. `refetch` (refetch.js)
  // is there behind hmrd --proxy only.

  function createUpdates({ client, options, publicPath, log, toUrl, modules, listeners, overlay, scanner, swapper, esm, html,
    report, reloadPage, ghost = null, refetch = null }) {
    function applyBuild(payload) {
      // Changed ES modules the page runs go to the import graph (esm.js); the rest as before.
      const hot = esm.take(diffModules(client.modules, payload.modules), modules.paths());
      if (hot.keys.length) esm.prefetch(payload.hash, client.hash, payload.graph);
      const diff = hot.rest;
      // Behind a proxy the backend renders the page: no file in the map is its HTML.
      const page = refetch ? [] : pagePaths(location.href, publicPath);
      if (options.html !== 'reload' && diff.updated.some((path) => page.includes(path))) html.prefetch(payload.hash);
      const found = scanner.scan(swapper.leavingRules);
      const usage = {
        page: new Set(page),
        accepted: modules.paths(),
        css: new Set([...found.links.keys(), ...found.imports.keys()]),
        images: new Set(found.images.keys()),
        uses: found.uses,
      };
      const plan = planUpdate(diff, usage);
      // Behind a proxy a change the page has no asset for (a template) may change what the
      // backend renders: the page is fetched again and patched (refetch.js), unless ?html=reload.
      const rendered = refetch ? unusedChanges(diff, usage) : [];
      const refetching = rendered.length > 0 && options.html !== 'reload' && refetch.available();
      if (rendered.length && !refetching) {
        plan.reloadFor.push(...rendered);
        plan.reload = true;
      }
      // The page's own HTML alone is patched in place (html.js), unless ?html=reload.
      const inPlace = options.html !== 'reload' && pageHtmlOnly(plan, page) && html.available();
      if (plan.reload && options.reload && !inPlace) {
        log.info('reloading for', summarize(plan.reloadFor));
        esm.announceReload(plan.reloadFor[0]);
        reloadPage();
        return false;
      }
      // Swaps and re-imports apply; a patch of the HTML says what came of it (unchanged, say).
      const swapped = plan.css.length + plan.images.length + plan.modules.length > 0;
      const sheets = swapper.swapStylesheets(found, plan.css, payload.hash, payload.modules || {})
        .then((errors) => ({ status: errors.length ? 'failed' : swapped ? 'applied' : 'unchanged', errors }));
      swapper.swapImages(plan.images.map(toUrl), payload.hash);
      for (const path of plan.modules) modules.reimport(path, payload.hash);
      const outcomes = [sheets];
      if (hot.keys.length) outcomes.push(esm.update(payload.hash, client.hash, hot.keys));
      if (inPlace) outcomes.push(patchHtml(plan.reloadFor, payload.hash));
      if (refetching) outcomes.push(refetchPage(rendered, payload.hash));
      const applied = plan.css.concat(plan.images);
      if (applied.length) log.info('updated', summarize(applied, 5));
      if (plan.reload && !inPlace) {
        log.info('a reload is needed for', summarize(plan.reloadFor), '(reload=false)');
        outcomes.push({ status: 'failed', errors: ['a reload is needed for ' + summarize(plan.reloadFor) + ' (reload=false)'] });
      }
      const unchanged = !swapped && !plan.reload && !hot.keys.length && !refetching;
      if (unchanged) log.info('nothing this page uses changed');
      tell(payload.hash, unchanged ? [{ status: 'unchanged', errors: [] }] : outcomes);
      return true;
    }

    // Once every part of the update is done: one outcome for the build. A page on its
    // way to a reload says nothing: the next load of it does (report.js); nor does one
    // whose update a later build's took over: that one's outcome counts in its place.
    function tell(hash, outcomes) {
      Promise.all(outcomes).then((done) => {
        if (done.some((o) => o && (o.status === 'reloading' || o.status === 'superseded'))) return;
        const errors = done.flatMap((o) => (o && o.errors) || []);
        const status = done.every((o) => o && o.status === 'unchanged') ? 'unchanged' : errors.length ? 'failed' : 'applied';
        report.outcome(status, hash, errors.join('\n') || undefined);
      }, (error) => report.outcome('failed', hash, String(error)));
    }

    // Patches the page to its new HTML; reloads (or says a reload is needed) when it cannot.
    // Resolves to what came of it, as esm.update does.
    function patchHtml(paths, hash) {
      return html.update(summarize(paths), hash).then((patched) => {
        if (patched) return patchedTo(patched, hash);
        return reloadInstead(paths);
      });
    }

    // Fetches the page from the backend again and patches what differs (refetch.js);
    // reloads (or says a reload is needed) when it cannot.
    function refetchPage(paths, hash) {
      // A later look that cannot be patched in (the backend's new page has new scripts) reloads too.
      return refetch.update(summarize(paths), () => reloadInstead(paths)).then((result) => {
        if (typeof result === 'string') return patchedTo(result, hash);
        return reloadInstead(paths);
      });
    }

    // A patch's outcome ('applied', 'unchanged' or 'superseded'), as esm.update's.
    function patchedTo(result, hash) {
      if (result === 'applied') swapper.swapImages([], hash); // Images the new HTML names that an earlier build swapped.
      return { status: result, errors: [] };
    }

    // What a page does when its HTML cannot be patched in: reload, or with ?reload=false say so.
    function reloadInstead(paths) {
      if (options.reload) {
        log.info('reloading for', summarize(paths));
        esm.announceReload(paths[0]);
        reloadPage();
        return { status: 'reloading', errors: [] };
      }
      log.info('a reload is needed for', summarize(paths), '(reload=false)');
      return { status: 'failed', errors: ['a reload is needed for ' + summarize(paths) + ' (reload=false)'] };
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
        report.shows(payload.hash);
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
      ghost(payload) { if (ghost) ghost.apply(payload); },
    };

    // A payload from the stream; payloads for another bundle (?name=) are not ours.
    function receive(payload) {
      if (options.name !== null && payload.name !== options.name) return;
      if (payload.action === 'built' || payload.action === 'sync') report.arrived();
      const handler = Object.prototype.hasOwnProperty.call(handlers, payload.action) && handlers[payload.action];
      if (handler) handler(payload);
      listeners.emit(payload);
    }

    return { receive };
  }

  // --- src/report.js
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

  // --- src/ghost.js
  // Ghost sync (hmrd --sync): this page posts what its user does (scroll, clicks, text,
  // boxes, selects, form submits, opening another page of the site) to P/sync and does
  // what the other pages' users did, as `ghost` frames arrive. Only what a person did is
  // posted (a trusted event, outside a mirrored action), so a mirrored action is never
  // mirrored back. Elements are found by a path that survives re-rendering.

  const GHOST_SCROLL_MS = 50;          // Scroll positions sent at most this often: smooth enough for the eye.
  const GHOST_ECHO_MS = 300;           // A scroll event this soon after a mirrored scroll, to that spot, is its echo.
  const GHOST_NAVIGATED = 'hmr-ghost-navigated'; // sessionStorage: this load followed another page; it says nothing.

  // Where an element is, as a selector that finds it again after the page re-renders:
  // its id, a form field's name, or the steps down from the nearest ancestor with an id.
  function ghostPath(el) {
    if (!el || el.nodeType !== 1) return null;
    const doc = el.ownerDocument;
    const unique = (selector) => {
      try { return doc.querySelectorAll(selector).length === 1 ? selector : null; } catch (_) { return null; }
    };
    if (el.id) {
      const byId = unique('#' + cssEscape(el.id));
      if (byId) return byId;
    }
    const name = el.getAttribute && el.getAttribute('name');
    if (name) {
      let selector = el.localName + '[name="' + cssEscape(name) + '"]';
      if (el.type === 'radio' || el.type === 'checkbox') selector += '[value="' + cssEscape(String(el.value)) + '"]';
      const byName = unique(selector);
      if (byName) return byName;
    }
    const steps = [];
    let node = el;
    while (node && node.nodeType === 1 && node !== doc.documentElement) {
      if (node !== el && node.id && unique('#' + cssEscape(node.id))) {
        steps.unshift('#' + cssEscape(node.id));
        return steps.join(' > ');
      }
      let index = 1;
      for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        if (sibling.localName === node.localName) index += 1;
      }
      steps.unshift(node.localName + ':nth-of-type(' + index + ')');
      node = node.parentElement;
    }
    return steps.length ? 'html > ' + steps.join(' > ') : null;
  }

  function cssEscape(text) {
    if (typeof CSS !== 'undefined' && typeof CSS.escape === 'function') return CSS.escape(text);
    return String(text).replace(/[^a-zA-Z0-9_-]/g, (c) => '\\' + c.charCodeAt(0).toString(16) + ' ');
  }

  // A scroll position as a share of how far the page can scroll (0 where it cannot).
  function scrollShare(position, size, viewport) {
    const room = size - viewport;
    return room > 0 ? Math.min(1, Math.max(0, position / room)) : 0;
  }

  // The page's own path, query and fragment: what another page of the same site opens.
  function sitePath(href) {
    const url = new URL(href);
    return url.pathname + url.search + url.hash;
  }

  // A sender that posts one action after the other: beacons go out on several
  // connections and may arrive out of order, and "Ada" after "Ada L" would be wrong.
  function inOrderSender(target) {
    let chain = Promise.resolve();
    return (json) => {
      chain = chain.then(() => fetch(target, { method: 'POST', body: json, keepalive: true, mode: 'no-cors',
        headers: { 'Content-Type': 'text/plain' } })).catch(() => {});
    };
  }

  // `send(json)` posts an action; `pageId` is the page's report id.
  // `navigationType`: how this page was loaded ('navigate', 'reload', 'back_forward').
  function createGhost({ pageId, send, now, storage, navigationType }) {
    let connected = false;
    let announced = false;       // This load said where it is (once its stream first opened).
    let applying = false;        // A mirrored action is being done: what it fires is not the user.
    let echo = null;             // { x, y, until }: where a mirrored scroll went.
    let scrollTimer = null;
    let lastScrollSent = 0;

    function post(action) {
      if (!connected) return;
      try { send(JSON.stringify(Object.assign({ page: pageId, url: location.href }, action))); } catch (_) { /* Never the page's problem. */ }
    }

    function userDid(event) {
      return event.isTrusted !== false && !applying;
    }

    function scrolled() {
      const root = document.scrollingElement || document.documentElement;
      const x = scrollShare(window.scrollX, root.scrollWidth, window.innerWidth);
      const y = scrollShare(window.scrollY, root.scrollHeight, window.innerHeight);
      if (echo && now() < echo.until && Math.abs(window.scrollX - echo.x) < 2 && Math.abs(window.scrollY - echo.y) < 2) return;
      post({ kind: 'scroll', x, y });
    }

    function onScroll(event) {
      if (!userDid(event)) return;
      const t = now();
      clearTimeout(scrollTimer);
      if (t - lastScrollSent >= GHOST_SCROLL_MS) {
        lastScrollSent = t;
        scrolled();
      } else {
        scrollTimer = setTimeout(() => { lastScrollSent = now(); scrolled(); }, GHOST_SCROLL_MS - (t - lastScrollSent));
      }
    }

    function onClick(event) {
      if (!userDid(event)) return;
      const el = event.target;
      // A link opens another page: its load says `navigate`; a field's own events say the
      // rest; a form's submit button sends the form, which says `submit`.
      if (!el || !el.closest || el.closest('a[href]') || isField(el) || submitsForm(el)) return;
      const target = ghostPath(el);
      if (target) post({ kind: 'click', target });
    }

    function onInput(event) {
      if (!userDid(event)) return;
      const el = event.target;
      if (!isField(el) || el.type === 'checkbox' || el.type === 'radio' || el.localName === 'select') return;
      const target = ghostPath(el);
      if (target) post({ kind: 'input', target, value: String(el.value) });
    }

    function onChange(event) {
      if (!userDid(event)) return;
      const el = event.target;
      const target = ghostPath(el);
      if (!target) return;
      if (el.type === 'checkbox' || el.type === 'radio') post({ kind: 'check', target, checked: Boolean(el.checked) });
      else if (el.localName === 'select') post({ kind: 'select', target, values: Array.from(el.selectedOptions || [], (o) => o.value) });
    }

    function onSubmit(event) {
      if (!userDid(event)) return;
      const target = ghostPath(event.target);
      if (target) post({ kind: 'submit', target });
    }

    // What another page's user did, done here; an element not found is left alone.
    function apply(payload) {
      if (!payload || payload.from === pageId) return;
      if (payload.kind === 'navigate') return follow(payload.to);
      if (payload.kind === 'scroll') return scrollTo(payload.x, payload.y);
      let el = null;
      try { el = typeof payload.target === 'string' ? document.querySelector(payload.target) : null; } catch (_) { el = null; }
      if (!el) return;
      applying = true;
      try {
        switch (payload.kind) {
          case 'click': el.click(); break;
          case 'input': el.value = String(payload.value); fire(el, 'input'); fire(el, 'change'); break;
          case 'check': el.checked = Boolean(payload.checked); fire(el, 'input'); fire(el, 'change'); break;
          case 'select':
            for (const option of el.options || []) option.selected = (payload.values || []).includes(option.value);
            fire(el, 'input'); fire(el, 'change');
            break;
          case 'submit': if (typeof el.requestSubmit === 'function') el.requestSubmit(); else el.submit(); break;
          default: break; // Not ours to know.
        }
      } finally {
        applying = false;
      }
    }

    function scrollTo(x, y) {
      const root = document.scrollingElement || document.documentElement;
      const left = Math.round(Number(x) * Math.max(0, root.scrollWidth - window.innerWidth));
      const top = Math.round(Number(y) * Math.max(0, root.scrollHeight - window.innerHeight));
      echo = { x: left, y: top, until: now() + GHOST_ECHO_MS };
      window.scrollTo(left, top);
    }

    function follow(to) {
      if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//')) return;
      if (sitePath(location.href) === to) return;
      try { storage.setItem(GHOST_NAVIGATED, to); } catch (_) { /* Then this page's next load says where it is: harmless. */ }
      location.assign(to);
    }

    // A page the user opened (a link, an address, back or forward) takes the others
    // along; a reload (an update) or a load that followed another page does not.
    function loaded(navigationType) {
      let followed = null;
      try { followed = storage.getItem(GHOST_NAVIGATED); storage.removeItem(GHOST_NAVIGATED); } catch (_) { followed = null; }
      if (navigationType === 'reload' || followed === sitePath(location.href)) return;
      post({ kind: 'navigate', to: sitePath(location.href) });
    }

    function submitsForm(el) {
      const button = el.closest('button, input[type=submit], input[type=image]');
      return Boolean(button && button.form && (button.type === 'submit' || button.type === 'image'));
    }

    function isField(el) {
      return el && (el.localName === 'input' || el.localName === 'textarea' || el.localName === 'select');
    }

    function fire(el, type) {
      el.dispatchEvent(new Event(type, { bubbles: true }));
    }

    return {
      start() {
        window.addEventListener('scroll', onScroll, { passive: true });
        document.addEventListener('click', onClick, true);
        document.addEventListener('input', onInput, true);
        document.addEventListener('change', onChange, true);
        document.addEventListener('submit', onSubmit, true);
      },
      connected(value) {
        connected = value;
        if (value && !announced) {
          announced = true;
          loaded(navigationType);
        }
      },
      apply,
    };
  }

  // --- src/stream.js
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

  // --- src/boot.js
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
})();
