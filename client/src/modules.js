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
