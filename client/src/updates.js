// What a payload does to the page: `building` shows the indicator, a failed build
// shows the overlay and applies nothing, and a good build with another hash is
// diffed against the page's own and applied in place, or reloads the page.

function createUpdates({ client, options, publicPath, log, toUrl, modules, listeners, overlay, scanner, swapper }) {
  function applyBuild(payload) {
    const diff = diffModules(client.modules, payload.modules);
    const found = scanner.scan(swapper.leavingRules);
    const plan = planUpdate(diff, {
      page: new Set(pagePaths(location.href, publicPath)),
      accepted: modules.paths(),
      css: new Set([...found.links.keys(), ...found.imports.keys()]),
      images: new Set(found.images.keys()),
      uses: found.uses,
    });
    if (plan.reload && options.reload) {
      log.info('reloading for', summarize(plan.reloadFor));
      location.reload();
      return false;
    }
    swapper.swapStylesheets(found, plan.css, payload.hash, payload.modules || {});
    swapper.swapImages(plan.images.map(toUrl), payload.hash);
    for (const path of plan.modules) modules.reimport(path, payload.hash);
    const applied = plan.css.concat(plan.images);
    if (applied.length) log.info('updated', summarize(applied, 5));
    if (plan.reload) log.info('a reload is needed for', summarize(plan.reloadFor), '(reload=false)');
    if (!applied.length && !plan.modules.length && !plan.reload) log.info('nothing this page uses changed');
    return true;
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
