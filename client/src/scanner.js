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
