// import.meta.hot: a Vite-shaped context for each running module instance, the data
// a module keeps across its replacements, the events, and carrying out an update
// plan (dispose, import, accept callbacks, prune). Importing and the clock are
// passed in; nothing here reads the page.

function createHotRuntime({ toKey, log, now }) {
  const records = new Map(); // key → the running instance: its url, accepts, disposers, pruners, listeners
  const dataByKey = new Map(); // key → the one object every instance of the module shares
  const bus = new Map(); // event → listeners in the order they subscribed
  const warned = new Set();
  let invalidating = null; // firstInvalidatedBy while an update that invalidate() started runs
  let onInvalidate = () => {};

  const keyOf = (url) => toKey(url) || String(url);
  const dataOf = (key) => {
    if (!dataByKey.has(key)) dataByKey.set(key, {});
    return dataByKey.get(key);
  };
  const warnOnce = (text) => {
    if (!warned.has(text)) { warned.add(text); log.warn(text); }
  };

  function subscribe(event, callback) {
    if (!bus.has(event)) bus.set(event, []);
    bus.get(event).push(callback);
  }

  function unsubscribe(event, callback) {
    const left = (bus.get(event) || []).filter((f) => f !== callback);
    if (left.length) bus.set(event, left); else bus.delete(event);
  }

  // Calls every listener of `event`; resolves when those that return promises settle.
  function emit(event, payload) {
    const results = [];
    for (const callback of (bus.get(event) || []).slice()) {
      try {
        results.push(callback(payload));
      } catch (error) {
        log.error('an import.meta.hot.on(' + JSON.stringify(event) + ') handler threw:', error);
      }
    }
    return Promise.allSettled(results);
  }

  // A module instance starts: its context has no accepts, disposers or listeners yet
  // (the previous instance's are dropped, as Vite does) but the module's data.
  function context(url) {
    const key = keyOf(url);
    const previous = records.get(key);
    if (previous) for (const [event, callback] of previous.listeners) unsubscribe(event, callback);
    const record = { key, url: String(url), at: now(), callbacks: [], disposers: [], pruners: [], declined: false, listeners: [] };
    records.set(key, record);
    dataOf(key);
    return createContext(record);
  }

  function createContext(record) {
    const resolve = (spec) => {
      const key = specifierKey(spec, record.url, toKey);
      if (key === null) warnOnce('import.meta.hot.accept(' + JSON.stringify(String(spec)) + ') in ' + record.key + ': only ./, ../, / and full URLs name a module');
      return key;
    };
    const add = (deps, fn) => record.callbacks.push({ deps, fn });
    return {
      get data() { return dataOf(record.key); },
      accept(deps, callback) {
        if (!deps || typeof deps === 'function') add([record.key], (mods) => deps && deps(mods[0]));
        else if (typeof deps === 'string') add([resolve(deps)], (mods) => callback && callback(mods[0]));
        else if (Array.isArray(deps)) add(deps.map(resolve), (mods) => callback && callback(mods));
        else log.error('import.meta.hot.accept() takes nothing, a callback, a dependency or a list of them, not', deps);
      },
      // Which exports were accepted only matters to a server that checks importers' bindings.
      acceptExports(_, callback) { add([record.key], (mods) => callback && callback(mods[0])); },
      dispose(callback) { if (typeof callback === 'function') record.disposers.push(callback); },
      prune(callback) { if (typeof callback === 'function') record.pruners.push(callback); },
      decline() { record.declined = true; },
      invalidate(message) {
        const first = invalidating || record.key;
        emit('vite:invalidate', { path: publicName(record.key), message, firstInvalidatedBy: publicName(first) });
        log.info('invalidated', record.key + (message ? ': ' + message : ''));
        onInvalidate({ key: record.key, firstInvalidatedBy: first, message });
      },
      on(event, callback) {
        if (typeof callback !== 'function') return;
        subscribe(String(event), callback);
        record.listeners.push([String(event), callback]);
      },
      off(event, callback) {
        unsubscribe(String(event), callback);
        record.listeners = record.listeners.filter(([e, f]) => !(e === String(event) && f === callback));
      },
      send(event) {
        warnOnce('import.meta.hot.send(' + JSON.stringify(String(event)) + ') goes nowhere: hmrd has no channel from the page back');
      },
    };
  }

  // What the running instances accept, for propagateUpdate: a Map's get, has and set,
  // each module worked out when asked (an update asks of a few of hundreds).
  function accepts() {
    const known = new Map();
    return {
      get(key) {
        if (!known.has(key)) known.set(key, acceptsOf(key));
        return known.get(key);
      },
      has(key) { return this.get(key) !== undefined; },
      set(key, value) { known.set(key, value); return this; },
    };
  }

  function acceptsOf(key) {
    const record = records.get(key);
    if (!record) return undefined;
    const deps = new Set();
    let self = false;
    for (const { deps: list } of record.callbacks) {
      for (const dep of list) {
        if (dep === key) self = true;
        else if (dep !== null) deps.add(dep);
      }
    }
    return { self, deps, declined: record.declined };
  }

  // Each dispose handler runs once: the list is emptied before they run.
  async function dispose(keys) {
    const results = [];
    for (const key of keys) {
      const record = records.get(key);
      if (!record) continue;
      const handlers = record.disposers;
      record.disposers = [];
      for (const handler of handlers) {
        try { results.push(handler(dataOf(key))); } catch (error) { log.error('a dispose handler of', key, 'threw:', error); }
      }
    }
    await Promise.allSettled(results);
  }

  // An import that failed after the new instance's context was made: the old instance
  // still runs, so its accepts and listeners are the ones that count again.
  function restore(key, before) {
    if (records.get(key) === before) return;
    forget(key);
    if (before) {
      records.set(key, before);
      for (const [event, callback] of before.listeners) subscribe(event, callback);
    }
  }

  function forget(key) {
    const record = records.get(key);
    if (record) for (const [event, callback] of record.listeners) unsubscribe(event, callback);
    records.delete(key);
  }

  // Carries out a plan of propagateUpdate: the replaced instances' dispose handlers
  // run, each accepted module is imported anew (`load(key)` → its namespace), and the
  // callbacks that the boundaries' running instances registered get the new modules.
  // A module that fails to import keeps its old version running (logged), unless it
  // is in an import cycle, which only a reload puts back in order.
  // Resolves to { updated: keys, failed: keys, reload: null | reason, errors }: `errors`
  // says what failed to import and which accept callbacks threw, for the page's report.
  async function applyUpdate(plan, load, firstInvalidatedBy = null) {
    const timestamp = now();
    const payload = {
      type: 'update',
      updates: plan.boundaries.map((b) => ({
        type: 'js-update', path: publicName(b.boundary), acceptedPath: publicName(b.accepted), timestamp,
        explicitImportRequired: false, isWithinCircularImport: b.circular,
        firstInvalidatedBy: firstInvalidatedBy === null ? undefined : publicName(firstInvalidatedBy),
      })),
    };
    await emit('vite:beforeUpdate', payload);

    // The callbacks are taken now: a new instance starts with none of its own.
    const acceptedBy = new Map();
    for (const { boundary, accepted } of plan.boundaries) {
      if (!acceptedBy.has(boundary)) acceptedBy.set(boundary, new Set());
      acceptedBy.get(boundary).add(accepted);
    }
    const calls = [];
    for (const [boundary, accepted] of acceptedBy) {
      const record = records.get(boundary);
      for (const callback of record ? record.callbacks : []) {
        if (callback.deps.some((dep) => accepted.has(dep))) calls.push({ boundary, accepted, callback });
      }
    }
    const targets = Array.from(new Set(plan.boundaries.map((b) => b.accepted))).sort();
    // `plan.running`: accepted modules whose new instance runs already (after invalidate()).
    const running = new Set(plan.running || []);
    await dispose(Array.from(new Set(plan.replaced.concat(targets))).filter((key) => !running.has(key)).sort());

    invalidating = firstInvalidatedBy;
    try {
      const before = new Map(targets.map((key) => [key, records.get(key)]));
      const settled = await Promise.allSettled(targets.map((key) => Promise.resolve().then(() => load(key))));
      const fresh = new Map();
      const failed = [];
      const errors = [];
      settled.forEach((result, i) => {
        const key = targets[i];
        if (result.status === 'fulfilled') { fresh.set(key, result.value); return; }
        failed.push(key);
        restore(key, before.get(key));
        log.error('could not import the new ' + key + '; its old version keeps running:', result.reason);
        errors.push('could not import the new ' + key + ': ' + describeError(result.reason));
      });
      const cycle = plan.boundaries.find((b) => b.circular && failed.includes(b.accepted));
      if (cycle) return { updated: [], failed, errors, reload: cycle.accepted + ' failed to import, and it is in an import cycle' };

      for (const { boundary, accepted, callback } of calls) {
        if (!callback.deps.some((dep) => accepted.has(dep) && fresh.has(dep))) continue;
        try {
          callback.fn(callback.deps.map((dep) => (accepted.has(dep) ? fresh.get(dep) : undefined)));
        } catch (error) {
          log.error('an import.meta.hot.accept callback of', boundary, 'threw:', error);
          errors.push('an import.meta.hot.accept callback of ' + boundary + ' threw: ' + describeError(error));
        }
      }
      await emit('vite:afterUpdate', payload);
      return { updated: targets.filter((key) => fresh.has(key)), failed, reload: null, errors };
    } finally {
      invalidating = null;
    }
  }

  // Modules nothing imports any more: dispose, then prune handlers, then they are forgotten.
  async function prune(keys) {
    if (!keys.length) return;
    await emit('vite:beforePrune', { type: 'prune', paths: keys.map(publicName) });
    await dispose(keys);
    const results = [];
    for (const key of keys) {
      const record = records.get(key);
      for (const handler of record ? record.pruners : []) {
        try { results.push(handler(dataOf(key))); } catch (error) { log.error('a prune handler of', key, 'threw:', error); }
      }
    }
    await Promise.allSettled(results);
    for (const key of keys) {
      forget(key);
      dataByKey.delete(key);
    }
  }

  // Every payload of the stream reaches on(action) listeners, as hmr.on's do; a failed
  // build is also Vite's vite:error.
  function receive(payload) {
    emit(String(payload.action), payload);
    const errors = Array.isArray(payload.errors) ? payload.errors : [];
    if ((payload.action === 'built' || payload.action === 'sync') && errors.length) {
      emit('vite:error', { type: 'error', err: { message: errors.join('\n'), stack: '' } });
    }
  }

  return {
    context, accepts, applyUpdate, prune, emit, receive,
    // Keys of the instances that made a context, with when: modules the page runs.
    instances: () => Array.from(records.values(), (r) => ({ key: r.key, at: r.at })),
    setInvalidateHandler(handler) { onInvalidate = handler; },
  };
}

// How Vite's payloads name a module: its path under the public base, led by "/".
function publicName(key) {
  return /^[a-z][a-z0-9+.-]*:/i.test(key) ? key : '/' + key;
}

// An error as the terminal should show it: its stack where it has one (which names it), else its text.
function describeError(error) {
  if (error && typeof error.stack === 'string' && error.stack) {
    const message = String(error.message || '');
    return error.stack.includes(message) ? error.stack : String(error) + '\n' + error.stack;
  }
  return String(error);
}
