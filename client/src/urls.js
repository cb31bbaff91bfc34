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
