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
