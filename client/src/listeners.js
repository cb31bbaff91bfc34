// hmr.on(action, cb): custom actions and build events for page code. A handler
// that throws is logged and the others still run.

function createListeners(log) {
  const byAction = new Map();
  return {
    on(action, callback) {
      if (typeof callback !== 'function') return () => {};
      const key = String(action);
      if (!byAction.has(key)) byAction.set(key, new Set());
      byAction.get(key).add(callback);
      return () => byAction.get(key).delete(callback);
    },
    emit(payload) {
      for (const callback of Array.from(byAction.get(payload.action) || [])) {
        try { callback(payload); } catch (error) { log.error('an hmr.on(' + JSON.stringify(payload.action) + ') handler threw:', error); }
      }
    },
  };
}
