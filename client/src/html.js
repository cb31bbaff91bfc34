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
