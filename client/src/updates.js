// What a payload does to the page: `building` shows the indicator, a failed build
// shows the overlay and applies nothing, and a good build with another hash is
// diffed against the page's own and applied in place, or reloads the page.

function createUpdates({ client, options, publicPath, log, toUrl, modules, listeners, overlay, scanner, swapper, esm, html }) {
  function applyBuild(payload) {
    // Changed ES modules the page runs go to the import graph (esm.js); the rest as before.
    const hot = esm.take(diffModules(client.modules, payload.modules), modules.paths());
    if (hot.keys.length) esm.prefetch(payload.hash, client.hash, payload.graph);
    const diff = hot.rest;
    const page = pagePaths(location.href, publicPath);
    if (options.html !== 'reload' && diff.updated.some((path) => page.includes(path))) html.prefetch(payload.hash);
    const found = scanner.scan(swapper.leavingRules);
    const plan = planUpdate(diff, {
      page: new Set(page),
      accepted: modules.paths(),
      css: new Set([...found.links.keys(), ...found.imports.keys()]),
      images: new Set(found.images.keys()),
      uses: found.uses,
    });
    // The page's own HTML alone is patched in place (html.js), unless ?html=reload.
    const inPlace = options.html !== 'reload' && pageHtmlOnly(plan, page) && html.available();
    if (plan.reload && options.reload && !inPlace) {
      log.info('reloading for', summarize(plan.reloadFor));
      esm.announceReload(plan.reloadFor[0]);
      location.reload();
      return false;
    }
    swapper.swapStylesheets(found, plan.css, payload.hash, payload.modules || {});
    swapper.swapImages(plan.images.map(toUrl), payload.hash);
    for (const path of plan.modules) modules.reimport(path, payload.hash);
    if (hot.keys.length) esm.update(payload.hash, client.hash, hot.keys);
    if (inPlace) patchHtml(plan.reloadFor, payload.hash);
    const applied = plan.css.concat(plan.images);
    if (applied.length) log.info('updated', summarize(applied, 5));
    if (plan.reload && !inPlace) log.info('a reload is needed for', summarize(plan.reloadFor), '(reload=false)');
    if (!applied.length && !plan.modules.length && !plan.reload && !hot.keys.length) log.info('nothing this page uses changed');
    return true;
  }

  // Patches the page to its new HTML; reloads (or says a reload is needed) when it cannot.
  function patchHtml(paths, hash) {
    html.update(summarize(paths), hash).then((patched) => {
      if (patched) {
        swapper.swapImages([], hash); // Images the new HTML names that an earlier build swapped.
      } else if (options.reload) {
        log.info('reloading for', summarize(paths));
        esm.announceReload(paths[0]);
        location.reload();
      } else {
        log.info('a reload is needed for', summarize(paths), '(reload=false)');
      }
    });
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
  };

  // A payload from the stream; payloads for another bundle (?name=) are not ours.
  function receive(payload) {
    if (options.name !== null && payload.name !== options.name) return;
    const handler = Object.prototype.hasOwnProperty.call(handlers, payload.action) && handlers[payload.action];
    if (handler) handler(payload);
    listeners.emit(payload);
  }

  return { receive };
}
