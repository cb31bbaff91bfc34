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
