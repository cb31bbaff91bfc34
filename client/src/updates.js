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
