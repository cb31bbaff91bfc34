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
