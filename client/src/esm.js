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
