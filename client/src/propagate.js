// Where an update of ES modules stops, decided as Vite does but in the page against
// the daemon's graph: from each changed module the page runs, up its importers to
// the nearest modules that accept it, or a reason to reload. Also which modules an
// update leaves imported by nobody. Pure: graph, page and accepts are arguments.

const NO_ACCEPTS = { self: false, deps: new Set(), declined: false };

// `graph`: readGraph's. `changed`: keys whose content changed or that are new.
// `loaded`: Set of keys the page runs. `accepts`: Map key → { self, deps (Set of
// keys), declined }, from the running instances. `invalidatedBy`: the key whose
// invalidate() started this walk from its importers; coming back to it reloads.
// Returns { reload: null | { reason, key }, boundaries: [{ boundary, accepted,
// circular }], replaced: keys that get a new instance (disposed first) }.
function propagateUpdate(graph, changed, loaded, accepts, invalidatedBy = null) {
  const own = (key) => accepts.get(key) || NO_ACCEPTS;
  const reload = (reason, key) => ({ reload: { reason, key }, boundaries: [], replaced: [] });
  const reached = new Set(); // Modules that need a new instance: the changed ones and their importers up to a boundary.
  const boundaries = new Map(); // "boundary\naccepted" → boundary
  const queue = Array.from(new Set(changed)).filter((key) => loaded.has(key) && key !== invalidatedBy).sort();
  for (const key of queue) reached.add(key);

  // Breadth first with a visited set, so an import cycle is walked once and the walk ends.
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i];
    if (own(key).declined) return reload(key + ' declined hot updates', key);
    if (own(key).self) {
      boundaries.set(key + '\n' + key, { boundary: key, accepted: key });
      continue;
    }
    const importers = loadedImporters(graph, key, loaded);
    if (importers.length === 0) return reload('nothing accepts the update of ' + key, key);
    for (const importer of importers) {
      if (own(importer).deps.has(key)) {
        boundaries.set(importer + '\n' + key, { boundary: importer, accepted: key });
      } else if (importer === invalidatedBy) {
        return reload('the update came back to ' + importer + ', which called invalidate()', importer);
      } else if (!reached.has(importer)) {
        reached.add(importer);
        queue.push(importer);
      }
    }
  }

  // Each module reached must be imported anew by a boundary: importing an accepted
  // module imports every reached module below it at its new version. A cycle that
  // no boundary imports would keep running its old code, so it reloads instead.
  const renewed = new Set();
  const stack = Array.from(boundaries.values(), (b) => b.accepted);
  while (stack.length) {
    const key = stack.pop();
    if (renewed.has(key) || !reached.has(key)) continue;
    renewed.add(key);
    const module = graph.modules.get(key);
    if (module) stack.push(...module.imports, ...module.dynamic);
  }
  const stranded = Array.from(reached).sort().find((key) => !renewed.has(key));
  if (stranded !== undefined) return reload('nothing accepts the update of ' + stranded + ': its importers lead round an import cycle', stranded);

  const list = Array.from(boundaries.values())
    .sort((a, b) => (a.boundary + '\n' + a.accepted < b.boundary + '\n' + b.accepted ? -1 : 1))
    .map((b) => ({ boundary: b.boundary, accepted: b.accepted, circular: onCycle(graph, b.accepted, loaded) }));
  return { reload: null, boundaries: list, replaced: Array.from(reached).sort() };
}

// The importers of `key` that the page runs, sorted, the module itself left out.
function loadedImporters(graph, key, loaded) {
  return Array.from(graph.importers.get(key) || []).filter((importer) => importer !== key && loaded.has(importer)).sort();
}

// Whether walking up from `key` through modules the page runs comes back to it: an
// accepted module in an import cycle, whose failed import cannot keep the old order.
function onCycle(graph, key, loaded) {
  const seen = new Set();
  const stack = loadedImporters(graph, key, loaded);
  while (stack.length) {
    const next = stack.pop();
    if (next === key) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...loadedImporters(graph, next, loaded));
  }
  return false;
}

// Modules the page runs that a module it runs imported before the update and none
// does after it: their dispose and prune handlers run. Entry scripts (`roots`) stay,
// and without the old graph nothing is pruned.
function prunedModules(oldGraph, newGraph, loaded, roots) {
  if (!oldGraph || !newGraph) return [];
  // Only a module that left or whose imports changed (which moves its version) can
  // leave another imported by nobody: what those imported, and they, are the ones to check.
  const candidates = new Set();
  for (const [key, module] of oldGraph.modules) {
    const now = newGraph.modules.get(key);
    if (now && now.version === module.version) continue;
    if (!now) candidates.add(key);
    for (const dep of module.imports.concat(module.dynamic)) candidates.add(dep);
  }
  const imported = (graph, key) => loadedImporters(graph, key, loaded).length > 0;
  return Array.from(candidates)
    .filter((key) => loaded.has(key) && !roots.has(key) && imported(oldGraph, key) && !imported(newGraph, key)).sort();
}
