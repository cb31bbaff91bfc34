// The keyed morph behind in-place HTML updates: it changes the live document to
// match a new copy of its HTML, and what did not change stays the same nodes. The
// decisions are pure (matchChildren, attributeChanges, elementKey); createMorph
// walks any DOM-like tree with them, and morphDocument keeps focus and scroll.

const MATCH_WINDOW = 8; // Siblings looked ahead for a match: edits a few nodes apart still pair, the work stays linear.
const ELEMENT_NODE = 1;

// A script the browser runs (not a data block such as JSON-LD), by its type attribute.
function isCodeScript(type) {
  const essence = String(type == null ? '' : type).split(';')[0].trim().toLowerCase();
  return essence === '' || essence === 'module' || essence === 'importmap' || essence === 'speculationrules' ||
    /^(application|text)\/(x-)?(ecma|java)script$|^text\/(javascript1\.[0-5]|jscript|livescript)$/.test(essence);
}

// What a script runs: two scripts with the same signature are the same script.
// `attr(name)` reads an attribute (null when absent); `resolve(url)` makes a URL absolute.
function scriptSignature(attr, text, resolve) {
  const src = attr('src');
  const type = String(attr('type') || '').trim().toLowerCase();
  const flags = ['nomodule', 'async', 'defer'].filter((name) => attr(name) !== null).join(' ');
  return JSON.stringify([type, src === null ? null : resolve(src), flags, src === null ? text : '']);
}

// What makes an element the same one in both copies wherever it stands, or null:
// a script's signature, an id, or what a head element is about (one <title>, one
// <meta name=description>, one stylesheet <link> per URL). `text()`: its text.
function elementKey(tag, attr, text, resolve) {
  const name = String(tag).toUpperCase();
  if (name === 'SCRIPT' && isCodeScript(attr('type'))) return 'script ' + scriptSignature(attr, text(), resolve);
  if (attr('id')) return '#' + attr('id');
  const lower = (a) => String(attr(a) || '').trim().toLowerCase();
  if (name === 'TITLE' || name === 'BASE') return name.toLowerCase();
  if (name === 'META') {
    const about = ['charset', 'http-equiv', 'name', 'property', 'itemprop'].find((a) => attr(a) !== null);
    return about ? 'meta ' + about + '=' + (about === 'charset' ? '' : lower(about)) : null;
  }
  if (name === 'LINK' && attr('href') !== null) return 'link ' + lower('rel') + ' ' + resolve(attr('href'));
  return null;
}

// Pairs each new child with a live one (its index), or -1 for "make it". Items are
// { kind, key }: kind the node name, key as elementKey or null. Keyed children pair
// by key wherever they stand, and only by key. The others pair in order: an
// identical one close ahead first (`same(i, j)`: live i equals new j), else the next
// one of the same kind; neither search passes a live element that a new child close
// ahead is identical to (so an insertion does not shift every later sibling by one).
function matchChildren(live, next, same) {
  const pairs = next.map(() => -1);
  const taken = live.map(() => false);
  const id = (item) => (item.key === null || item.key === undefined ? null : item.kind + ' ' + item.key);
  const byKey = new Map();
  live.forEach((item, i) => {
    if (id(item) === null) return;
    if (!byKey.has(id(item))) byKey.set(id(item), []);
    byKey.get(id(item)).push(i);
  });
  next.forEach((item, j) => {
    if (id(item) === null) return;
    const queue = byKey.get(id(item));
    if (!queue || !queue.length) return;
    pairs[j] = queue.shift();
    taken[pairs[j]] = true;
  });
  const free = (i) => !taken[i] && id(live[i]) === null; // A keyed live child pairs by its key or not at all.
  const sameAhead = (i, j) => {
    for (let k = j + 1; k < next.length && k <= j + MATCH_WINDOW; k++) {
      if (pairs[k] < 0 && next[k].kind === live[i].kind && same(i, k)) return true;
    }
    return false;
  };
  let cursor = 0;
  next.forEach((item, j) => {
    if (pairs[j] >= 0) return;
    while (cursor < live.length && taken[cursor]) cursor++;
    let found;
    let first; // The first free one of the same kind: the stand-in if none is identical.
    for (let i = cursor, seen = 0; i < live.length && seen < 2 * MATCH_WINDOW; i++) {
      if (!free(i)) continue;
      seen++;
      const kin = live[i].kind === item.kind;
      if (kin && same(i, j)) { found = i; break; }
      // A new child close ahead is this one: going past it would lose it. (Not for text
      // or comments: whitespace between elements is all alike.)
      if (live[i].kind[0] !== '#' && sameAhead(i, j)) break;
      if (kin && first === undefined) first = i;
    }
    if (found === undefined) found = first;
    if (found === undefined) return;
    pairs[j] = found;
    taken[found] = true;
    cursor = found + 1;
  });
  return pairs;
}

// The attributes to set ([name, value]) and remove to turn `live` into `next` (Maps
// of name → value). With `old`, the file's previous attributes, only what the file
// changed is applied, so attributes the page's scripts set stay. `keepLive(name,
// liveValue, newValue)` keeps a live value that stands for the new one.
function attributeChanges(live, next, old, keepLive) {
  const set = [];
  const remove = [];
  for (const [name, value] of next) {
    if (live.get(name) === value || (old && old.get(name) === value)) continue;
    if (live.has(name) && keepLive && keepLive(name, live.get(name), value)) continue;
    set.push([name, value]);
  }
  for (const name of live.keys()) {
    if (!next.has(name) && (!old || old.has(name))) remove.push(name);
  }
  return { set, remove };
}

// An error that means "reload instead": the morph met something it must not do.
function notPatchable(why) {
  const error = new Error(why);
  error.notPatchable = true;
  return error;
}

// Returns morph(doc, live, next, old): makes the tree `live` match `next`, a parsed
// copy; `old` (or null) is the copy `live` was made from, for a three-way morph in
// which what the file did not change is left as the page has it. Hooks: keyOf(el),
// skipLive(node) and skipNext(node) (nodes the morph neither matches nor touches),
// isScript(el), keepLive(name, liveValue, newValue).
function createMorph(hooks) {
  const { keyOf, skipLive, skipNext, isScript, keepLive } = hooks;
  const keyed = (node) => (node.nodeType === ELEMENT_NODE ? keyOf(node) : null);
  const attributes = (el) => new Map(Array.from(el.attributes, (a) => [a.name, a.value]));
  // The elements under `root` that may move between parents: those with an id, and scripts.
  const movers = (root, skip, visit) => {
    for (const el of Array.from(root.querySelectorAll('[id], script'))) if (!skip(el)) visit(el);
  };

  return function morph(doc, live, next, old) {
    // Live elements that may move here from elsewhere (scripts, and ids unique in both
    // trees), and the new elements with one inside. Found the first time a node is to
    // be removed or made, before any is: an edit of text or attributes needs neither.
    const stock = new Map();
    const holds = new Set();
    const used = new Set();
    let movable = null;
    function index() {
      const liveCount = new Map();
      const nextCount = new Map();
      const bump = (counts, key) => counts.set(key, (counts.get(key) || 0) + 1);
      movers(live, skipLive, (el) => {
        const key = keyOf(el);
        if (key === null) return;
        bump(liveCount, key);
        if (!stock.has(key)) stock.set(key, []);
        stock.get(key).push(el);
      });
      const nextKeyed = [];
      movers(next, skipNext, (el) => {
        const key = keyOf(el);
        if (key !== null) bump(nextCount, key);
        if (key !== null || isScript(el)) nextKeyed.push([el, key]);
      });
      movable = (key) => key.startsWith('script ') || (key[0] === '#' && liveCount.get(key) === 1 && nextCount.get(key) === 1);
      for (const [el, key] of nextKeyed) {
        if (!(key !== null && movable(key)) && !isScript(el)) continue;
        for (let up = el.parentNode; up && up !== next && !holds.has(up); up = up.parentNode) holds.add(up);
      }
    }

    function morphNode(l, n, o) {
      if (o && o.isEqualNode(n)) return; // The file did not change here: what the page made of it stays.
      if (l.nodeType !== ELEMENT_NODE) {
        if (l.nodeValue !== n.nodeValue) l.nodeValue = n.nodeValue;
        return;
      }
      // Compared with the file's old copy it differs; the live element (like the old one,
      // unless a script changed it) is not compared again, which costs as much.
      if (isScript(l) || (!o && l.isEqualNode(n))) return;
      const changes = attributeChanges(attributes(l), attributes(n), o && attributes(o), keepLive);
      for (const name of changes.remove) l.removeAttribute(name);
      for (const [name, value] of changes.set) {
        const attr = n.getAttributeNode ? n.getAttributeNode(name) : null;
        if (attr && attr.namespaceURI) l.setAttributeNS(attr.namespaceURI, name, value);
        else l.setAttribute(name, value);
      }
      // With scripting on, a live <noscript> holds text where the parsed copy holds elements.
      if (String(l.nodeName).toUpperCase() === 'NOSCRIPT') return;
      if (l.content && n.content && String(l.nodeName).toUpperCase() === 'TEMPLATE') {
        if (!l.content.isEqualNode(n.content)) l.content.replaceChildren(doc.importNode(n.content, true));
        return;
      }
      morphChildren(l, n, o);
    }

    function morphChildren(l, n, o) {
      const liveKids = Array.from(l.childNodes).filter((c) => !skipLive(c));
      const nextKids = Array.from(n.childNodes).filter((c) => !skipNext(c));
      const oldKids = o ? Array.from(o.childNodes).filter((c) => !skipNext(c)) : null;
      const item = (c) => ({ kind: c.nodeName, key: keyed(c) });
      const liveItems = liveKids.map(item);
      const nextItems = nextKids.map(item);
      const oldItems = oldKids && oldKids.map(item);
      const identical = nextKids.map(() => -1); // The old child each new one was found identical to.
      const toOld = oldKids && matchChildren(oldItems, nextItems, (i, j) => {
        const same = oldKids[i].isEqualNode(nextKids[j]);
        if (same) identical[j] = i;
        return same;
      });
      // Live children still shaped like the file's (as they are unless a script moved
      // things) pair through it, and none of them needs comparing.
      const shaped = toOld && liveItems.length === oldItems.length &&
        liveItems.every((it, i) => it.kind === oldItems[i].kind && it.key === oldItems[i].key);
      const toLive = shaped ? toOld :
        matchChildren(liveItems, nextItems, (i, j) => liveKids[i].isEqualNode(nextKids[j]));
      const paired = new Set();
      for (const i of toLive) if (i >= 0) { paired.add(liveKids[i]); used.add(liveKids[i]); }
      if (movable === null && (paired.size < liveKids.length || toLive.includes(-1))) index();
      const staying = new Set(); // Scripts the page added itself: they have run; taking them out undoes nothing.
      for (const c of liveKids) {
        if (paired.has(c)) continue;
        if (c.nodeType === ELEMENT_NODE && isScript(c)) staying.add(c);
        else l.removeChild(c);
      }
      const after = (c) => {
        while (c && (skipLive(c) || staying.has(c))) c = c.nextSibling;
        return c;
      };
      let cursor = after(l.firstChild);
      nextKids.forEach((c, j) => {
        let node;
        if (toLive[j] >= 0) {
          node = liveKids[toLive[j]];
          const old = toOld && toOld[j] >= 0 ? oldKids[toOld[j]] : null;
          if (identical[j] < 0 || identical[j] !== toOld[j]) morphNode(node, c, old); // Else the file left it as it was.
        } else {
          node = adopt(c);
        }
        if (node === cursor) cursor = after(node.nextSibling);
        else l.insertBefore(node, cursor);
      });
    }

    // The node for a new child no live sibling matched: a live element with its key
    // moved from elsewhere, else a copy; a script is never made, only moved.
    function adopt(c) {
      const key = keyed(c);
      const found = key !== null && movable(key) && (stock.get(key) || []).find((el) => !used.has(el));
      if (found) {
        used.add(found);
        morphNode(found, c, null);
        return found;
      }
      if (c.nodeType === ELEMENT_NODE && isScript(c)) throw notPatchable('a script would have to run again');
      if (!holds.has(c)) return doc.importNode(c, true);
      const copy = doc.importNode(c, false);
      for (const child of Array.from(c.childNodes)) if (!skipNext(child)) copy.appendChild(adopt(child));
      return copy;
    }

    morphNode(live, next, old);
  };
}

// What the user has going on that a morph may disturb: the focused element and its
// selection, the document's selection, the scroll position.
function saveUserState() {
  const active = document.activeElement;
  let field = null;
  try {
    if (active && typeof active.selectionStart === 'number') {
      field = [active.selectionStart, active.selectionEnd, active.selectionDirection];
    }
  } catch (_) { /* An input type without a text selection. */ }
  const selection = document.getSelection ? document.getSelection() : null;
  const range = selection && selection.rangeCount && !field ?
    [selection.anchorNode, selection.anchorOffset, selection.focusNode, selection.focusOffset] : null;
  return { active, field, selection, range, x: window.scrollX, y: window.scrollY };
}

// Puts back what a morph moved: a node moved elsewhere loses focus and selection.
function restoreUserState(state) {
  const { active, field, selection, range } = state;
  if (active && active !== document.body && active.isConnected && document.activeElement !== active) {
    try { active.focus({ preventScroll: true }); } catch (_) { /* Not focusable any more. */ }
  }
  if (field && document.activeElement === active &&
      (active.selectionStart !== field[0] || active.selectionEnd !== field[1])) {
    try { active.setSelectionRange(field[0], field[1], field[2]); } catch (_) { /* Its type changed. */ }
  }
  const length = (node) => (node.nodeType === ELEMENT_NODE ? node.childNodes.length : node.length);
  if (range && range[0].isConnected && range[2].isConnected &&
      (selection.anchorNode !== range[0] || selection.anchorOffset !== range[1] ||
       selection.focusNode !== range[2] || selection.focusOffset !== range[3])) {
    try {
      selection.setBaseAndExtent(range[0], Math.min(range[1], length(range[0])), range[2], Math.min(range[3], length(range[2])));
    } catch (_) { /* The nodes can no longer hold a selection. */ }
  }
  if (window.scrollX !== state.x || window.scrollY !== state.y) window.scrollTo(state.x, state.y);
}

// Morphs the live document to `next` (a parsed copy of its HTML; `old`: the copy it
// was loaded or last patched from, or null), keeping focus, selection and scroll.
function morphDocument(next, old, hooks) {
  const state = saveUserState();
  try {
    createMorph(hooks)(document, document.documentElement, next.documentElement, old ? old.documentElement : null);
  } finally {
    restoreUserState(state);
  }
}
