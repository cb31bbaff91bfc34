// The keyed morph: how children are paired, which attributes change, what keys an
// element, and the walk itself over a small fake node tree (identity, moves, the
// three-way rule, scripts that are never made). Focus and scroll are checked in Chromium.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { matchChildren, attributeChanges, elementKey, isCodeScript, createMorph } = require('../hmr-client.js');

// --------------------------------------------------------------------------- a fake DOM

let mutations = []; // What the morph did, in order: [kind, node name, detail].

class FakeNode {
  constructor(nodeType, nodeName, value = null) {
    this.nodeType = nodeType;
    this.nodeName = nodeName;
    this.value = value;
    this.attrs = new Map();
    this.childNodes = [];
    this.parentNode = null;
  }
  get nodeValue() { return this.value; }
  set nodeValue(v) { mutations.push(['text', this.nodeName, v]); this.value = v; }
  get attributes() { return Array.from(this.attrs, ([name, value]) => ({ name, value, namespaceURI: null })); }
  get firstChild() { return this.childNodes[0] || null; }
  get nextSibling() {
    if (!this.parentNode) return null;
    const list = this.parentNode.childNodes;
    return list[list.indexOf(this) + 1] || null;
  }
  get textContent() { return this.nodeType === 3 ? this.value : this.childNodes.map((c) => c.textContent).join(''); }
  // Only the selector the morph asks for: '[id], script'.
  querySelectorAll(selector) {
    assert.equal(selector, '[id], script');
    const found = [];
    const walk = (node) => node.childNodes.forEach((c) => {
      if (c.nodeType === 1 && (c.attrs.has('id') || c.nodeName === 'SCRIPT')) found.push(c);
      walk(c);
    });
    walk(this);
    return found;
  }
  getAttribute(name) { return this.attrs.has(name) ? this.attrs.get(name) : null; }
  setAttribute(name, value) { mutations.push(['set', this.nodeName, name]); this.attrs.set(name, String(value)); }
  removeAttribute(name) { mutations.push(['remove attribute', this.nodeName, name]); this.attrs.delete(name); }
  insertBefore(node, ref) {
    mutations.push(['insert', node.nodeName, node.textContent]);
    if (node.parentNode) node.parentNode.childNodes.splice(node.parentNode.childNodes.indexOf(node), 1);
    node.parentNode = this;
    const at = ref ? this.childNodes.indexOf(ref) : -1;
    if (at < 0) this.childNodes.push(node); else this.childNodes.splice(at, 0, node);
    return node;
  }
  appendChild(node) { return this.insertBefore(node, null); }
  removeChild(node) {
    mutations.push(['remove', node.nodeName, node.textContent]);
    this.childNodes.splice(this.childNodes.indexOf(node), 1);
    node.parentNode = null;
    return node;
  }
  isEqualNode(other) {
    if (!other || other.nodeType !== this.nodeType || other.nodeName !== this.nodeName || other.value !== this.value) return false;
    if (other.attrs.size !== this.attrs.size || [...this.attrs].some(([k, v]) => other.attrs.get(k) !== v)) return false;
    return other.childNodes.length === this.childNodes.length && this.childNodes.every((c, i) => c.isEqualNode(other.childNodes[i]));
  }
  clone(deep) {
    const copy = new FakeNode(this.nodeType, this.nodeName, this.value);
    copy.attrs = new Map(this.attrs);
    if (deep) {
      for (const child of this.childNodes) {
        const node = child.clone(true);
        node.parentNode = copy;
        copy.childNodes.push(node);
      }
    }
    return copy;
  }
}

const doc = { importNode: (node, deep) => node.clone(deep) };

// h('div', { id: 'a' }, 'text', h('p')): an element; strings are text nodes.
function h(tag, attrs = {}, ...children) {
  const el = new FakeNode(1, tag.toUpperCase());
  for (const [name, value] of Object.entries(attrs)) el.attrs.set(name, value);
  for (const child of children) {
    const node = typeof child === 'string' ? new FakeNode(3, '#text', child) : child;
    node.parentNode = el;
    el.childNodes.push(node);
  }
  return el;
}

// Morphs `live` to `next` (with `old`, the copy `live` came from) and returns what it did.
function morph(live, next, old = null) {
  mutations = [];
  createMorph({
    keyOf: (el) => elementKey(el.nodeName, (name) => el.getAttribute(name), () => el.textContent, (url) => url.replace(/\?hmr=\w+$/, '')),
    skipLive: (node) => node.nodeType === 1 && node.getAttribute('data-client-owned') !== null,
    skipNext: (node) => node.nodeType === 1 && node.getAttribute('data-injected') !== null,
    isScript: (el) => el.nodeName === 'SCRIPT' && isCodeScript(el.getAttribute('type')),
    keepLive: (name, liveValue, newValue) => liveValue === newValue + '?hmr=1',
  })(doc, live, next, old);
  return mutations;
}

const texts = (el) => el.childNodes.map((c) => c.textContent);

// --------------------------------------------------------------------------- matchChildren

// "li#a": kind LI keyed a; "#t": a text node.
const items = (spec) => spec.split(' ').filter(Boolean).map((word) => {
  if (word.startsWith('#')) return { kind: word, key: null };
  const [kind, key = null] = word.split('#');
  return { kind, key };
});
// Children equal when they are written the same (kind, key and a trailing content mark).
const pair = (live, next) => {
  const a = live.split(' ').filter(Boolean);
  const b = next.split(' ').filter(Boolean);
  const strip = (w) => w.replace(/[.!]+$/, '');
  return matchChildren(a.map(strip).map((w) => items(w)[0]), b.map(strip).map((w) => items(w)[0]), (i, j) => a[i] === b[j]);
};

test('identical children pair in order', () => {
  assert.deepEqual(pair('p. p.. ul.', 'p. p.. ul.'), [0, 1, 2]);
});

test('an edited child pairs with the one at its place', () => {
  assert.deepEqual(pair('h1. p. p..', 'h1. p! p..'), [0, 1, 2]);
});

test('a child inserted first is made, and the others keep their partners', () => {
  assert.deepEqual(pair('p. p.. p...', 'p! p. p.. p...'), [-1, 0, 1, 2]);
});

test('an element inserted between whitespace keeps every later element\'s partner', () => {
  // #t: a whitespace text node, all alike. The new text after the new element must not
  // take the text after the next element, which would leave that element behind.
  assert.deepEqual(pair('a. #t a.. #t a...', 'a. #t a! #t a.. #t a...'), [0, 1, -1, -1, 2, 3, 4]);
});

test('a removed child is skipped, and the ones after it keep their partners', () => {
  assert.deepEqual(pair('p. p.. p...', 'p.. p...'), [1, 2]);
  assert.deepEqual(pair('a. #t a! #t a.. #t a... #t a....', 'a. #t a.. #t a....'), [0, 1, 4, 5, 8], 'whitespace in between');
});

test('children pair only with their own kind', () => {
  assert.deepEqual(pair('h1. p.', 'div. p.'), [-1, 1]);
});

test('keyed children pair by key wherever they stand', () => {
  assert.deepEqual(pair('li#a li#b li#c', 'li#c li#a li#b'), [2, 0, 1]);
  assert.deepEqual(pair('li#a li#b', 'li#b li#x'), [1, -1], 'a new key pairs with nothing the old key has');
});

test('a key on another kind of element does not pair', () => {
  assert.deepEqual(pair('div#a', 'section#a'), [-1]);
});

test('a keyed live child pairs by its key only, never as a stand-in for another', () => {
  assert.deepEqual(pair('div#a div', 'div div#a'), [1, 0]);
  assert.deepEqual(pair('div#gone p.', 'div p.'), [-1, 1]);
});

test('repeated keys (two identical scripts) pair in order', () => {
  assert.deepEqual(pair('script#s script#s', 'script#s script#s'), [0, 1]);
  assert.deepEqual(pair('script#s', 'script#s script#s'), [0, -1]);
});

test('a long list with one insertion does no work per item beyond a window', () => {
  const n = 5000;
  const live = Array.from({ length: n }, () => ({ kind: 'LI', key: null }));
  const next = [{ kind: 'LI', key: null }].concat(live);
  let calls = 0;
  const pairs = matchChildren(live, next, (i, j) => { calls++; return i === j - 1; });
  assert.deepEqual(pairs.slice(0, 3), [-1, 0, 1]);
  assert.equal(pairs[n], n - 1);
  assert.ok(calls < 20 * n, calls + ' comparisons');
});

// --------------------------------------------------------------------------- attributeChanges

const map = (o) => new Map(Object.entries(o));

test('without the old copy, every difference in attributes is applied', () => {
  assert.deepEqual(attributeChanges(map({ class: 'a', title: 't', hidden: '' }), map({ class: 'b', title: 't', lang: 'en' }), null),
    { set: [['class', 'b'], ['lang', 'en']], remove: ['hidden'] });
});

test('with the old copy, only what the file changed is applied', () => {
  const live = map({ class: 'a js-open', 'data-x': '1', title: 'old' });  // The page added js-open and data-x.
  const old = map({ class: 'a', title: 'old' });
  assert.deepEqual(attributeChanges(live, map({ class: 'a', title: 'new' }), old), { set: [['title', 'new']], remove: [] });
  assert.deepEqual(attributeChanges(live, map({ class: 'b' }), old), { set: [['class', 'b']], remove: ['title'] });
});

test('a live value that stands for the new one (keepLive) is kept', () => {
  const keep = (name, liveValue, newValue) => liveValue === newValue + '?hmr=h2';
  assert.deepEqual(attributeChanges(map({ src: 'a.png?hmr=h2' }), map({ src: 'a.png' }), null, keep), { set: [], remove: [] });
  assert.deepEqual(attributeChanges(map({ src: 'a.png?hmr=h2' }), map({ src: 'b.png' }), null, keep), { set: [['src', 'b.png']], remove: [] });
});

// --------------------------------------------------------------------------- elementKey, isCodeScript

const key = (tag, attrs, text = '') =>
  elementKey(tag, (name) => (name in attrs ? attrs[name] : null), () => text, (url) => 'http://x/' + url.replace(/\?hmr=\w+$/, ''));

test('an element with an id is keyed by it; a plain one is not keyed', () => {
  assert.equal(key('div', { id: 'main' }), '#main');
  assert.equal(key('div', { class: 'x' }), null);
  assert.equal(key('div', { id: '' }), null);
});

test('head elements are keyed by what they are about', () => {
  assert.equal(key('TITLE', {}), 'title');
  assert.equal(key('meta', { name: 'Description', content: 'a' }), key('META', { name: 'description', content: 'b' }));
  assert.notEqual(key('meta', { name: 'description' }), key('meta', { property: 'description' }));
  assert.equal(key('link', { rel: 'stylesheet', href: 'a.css?hmr=abc' }), key('LINK', { rel: 'Stylesheet', href: 'a.css' }));
  assert.notEqual(key('link', { rel: 'stylesheet', href: 'a.css' }), key('link', { rel: 'stylesheet', href: 'b.css' }));
});

test('a script is keyed by what it runs, not by its id', () => {
  assert.equal(key('script', { id: 'a' }, 'go()'), key('script', { id: 'b' }, 'go()'));
  assert.notEqual(key('script', {}, 'go()'), key('script', {}, 'stop()'));
  assert.notEqual(key('script', { src: 'a.js' }), key('script', { src: 'a.js', type: 'module' }));
  assert.notEqual(key('script', { src: 'a.js' }), key('script', { src: 'a.js', defer: '' }));
  assert.equal(key('script', { src: 'a.js' }, 'ignored'), key('script', { src: 'a.js' }, ''));
  assert.equal(key('script', { type: 'application/ld+json' }, '{}'), null, 'a data block is not a script that runs');
});

test('code scripts are told from data blocks by their type', () => {
  for (const type of [null, '', 'module', 'text/javascript', 'TEXT/JavaScript; charset=utf-8', 'application/x-javascript',
    'text/ecmascript', 'importmap', 'text/javascript1.5']) assert.ok(isCodeScript(type), String(type));
  for (const type of ['application/ld+json', 'text/template', 'application/json', 'text/x-handlebars', 'text/plain']) {
    assert.ok(!isCodeScript(type), type);
  }
});

// --------------------------------------------------------------------------- the walk

test('an edited text changes that text node only; every element keeps its identity', () => {
  const live = h('body', {}, h('h1', {}, 'first'), h('p', { class: 'a' }, 'same'));
  const [h1, p] = live.childNodes;
  const done = morph(live, h('body', {}, h('h1', {}, 'second'), h('p', { class: 'a' }, 'same')));
  assert.deepEqual(done, [['text', '#text', 'second']]);
  assert.equal(live.childNodes[0], h1);
  assert.equal(live.childNodes[1], p);
  assert.equal(h1.textContent, 'second');
});

test('attribute edits apply to the same element', () => {
  const live = h('body', {}, h('p', { class: 'a', title: 'x' }, 'text'));
  const p = live.childNodes[0];
  morph(live, h('body', {}, h('p', { class: 'b' }, 'text')));
  assert.equal(live.childNodes[0], p);
  assert.deepEqual([...p.attrs], [['class', 'b']]);
});

test('an element inserted first leaves its siblings the same nodes, untouched', () => {
  const live = h('ul', {}, h('li', {}, 'one'), h('li', {}, 'two'), h('li', {}, 'three'));
  const before = [...live.childNodes];
  const done = morph(live, h('ul', {}, h('li', {}, 'zero'), h('li', {}, 'one'), h('li', {}, 'two'), h('li', {}, 'three')));
  assert.deepEqual(texts(live), ['zero', 'one', 'two', 'three']);
  assert.deepEqual(live.childNodes.slice(1), before);
  assert.deepEqual(done, [['insert', 'LI', 'zero']]);
});

test('an element inserted into a whitespace-separated list leaves every other item the same node', () => {
  const list = (words) => h('ul', {}, ...words.flatMap((word) => ['\n', h('li', {}, word)]), '\n');
  const live = list(['a', 'b', 'c', 'd']);
  const before = live.childNodes.filter((c) => c.nodeType === 1);
  const done = morph(live, list(['a', 'b', 'new', 'c', 'd']));
  const after = live.childNodes.filter((c) => c.nodeType === 1);
  assert.deepEqual(after.map((li) => li.textContent), ['a', 'b', 'new', 'c', 'd']);
  assert.deepEqual([after[0], after[1], after[3], after[4]], before);
  assert.deepEqual(done.map((m) => m[0]), ['insert', 'insert'], 'the new item and its whitespace, nothing else');
});

test('a removed element leaves the others the same nodes', () => {
  const live = h('ul', {}, h('li', {}, 'one'), h('li', {}, 'two'), h('li', {}, 'three'));
  const [, two, three] = live.childNodes;
  const done = morph(live, h('ul', {}, h('li', {}, 'two'), h('li', {}, 'three')));
  assert.deepEqual(live.childNodes, [two, three]);
  assert.deepEqual(done, [['remove', 'LI', 'one']]);
});

test('elements with ids are moved, not remade, when reordered', () => {
  const live = h('div', {}, h('p', { id: 'a' }, 'A'), h('p', { id: 'b' }, 'B'), h('p', { id: 'c' }, 'C'));
  const [a, b, c] = live.childNodes;
  morph(live, h('div', {}, h('p', { id: 'c' }, 'C'), h('p', { id: 'a' }, 'A'), h('p', { id: 'b' }, 'B')));
  assert.deepEqual(live.childNodes, [c, a, b]);
});

test('an element with an id moved into a new wrapper is the same node, with what the user typed', () => {
  const input = h('input', { id: 'q', value: 'x' });
  input.typed = 'hello'; // Stands for live state the morph must carry along.
  const live = h('form', {}, input, h('button', {}, 'go'));
  morph(live, h('form', {}, h('label', {}, 'Search ', h('input', { id: 'q', value: 'x' })), h('button', {}, 'go')));
  assert.equal(live.childNodes[0].nodeName, 'LABEL');
  assert.equal(live.childNodes[0].childNodes[1], input);
  assert.equal(input.typed, 'hello');
});

test('an element whose tag changed is made anew', () => {
  const live = h('div', {}, h('b', {}, 'bold'));
  const b = live.childNodes[0];
  morph(live, h('div', {}, h('strong', {}, 'bold')));
  assert.equal(live.childNodes.length, 1);
  assert.equal(live.childNodes[0].nodeName, 'STRONG');
  assert.notEqual(live.childNodes[0], b);
});

test('with the old copy, content and attributes the file did not change stay as the page made them', () => {
  const file = () => h('body', { class: 'page' }, h('h1', {}, 'title'), h('div', { id: 'app' }), h('p', {}, 'footer'));
  const live = file();
  live.attrs.set('class', 'page js-ready');            // A script set a class,
  live.childNodes[1].appendChild(h('ul', {}, h('li', {}, 'rendered'))); // rendered into #app,
  live.childNodes[2].childNodes[0].value = 'footer, counted'; // and wrote into the footer.
  const next = file();
  next.childNodes[0].childNodes[0].value = 'new title';
  const done = morph(live, next, file());
  assert.deepEqual(done, [['text', '#text', 'new title']]);
  assert.equal(live.getAttribute('class'), 'page js-ready');
  assert.equal(live.childNodes[1].textContent, 'rendered');
});

test('without the old copy the same morph makes the page match the file', () => {
  const live = h('body', {}, h('div', { id: 'app' }, h('ul', {}, h('li', {}, 'rendered'))));
  morph(live, h('body', {}, h('div', { id: 'app' })));
  assert.equal(live.childNodes[0].childNodes.length, 0);
});

test('scripts are matched by what they run and kept, even when moved', () => {
  const script = h('script', { src: 'app.js' });
  const live = h('body', {}, h('main', {}, 'hi'), script);
  morph(live, h('body', {}, h('main', {}, 'hello', h('script', { src: 'app.js' }))));
  assert.equal(live.childNodes[0].childNodes[1], script);
  assert.equal(live.childNodes.length, 1);
});

test('a script that is not on the page already is never made: the morph says so', () => {
  const live = h('body', {}, h('p', {}, 'a'));
  assert.throws(() => morph(live, h('body', {}, h('p', {}, 'a'), h('script', {}, 'run()'))), (error) => error.notPatchable === true);
});

test('a script the page added itself stays where it is', () => {
  const added = h('script', { src: 'https://cdn.example/widget.js' });
  const live = h('head', {}, h('title', {}, 'a'), added, h('meta', { name: 'x', content: '1' }));
  const [title, , meta] = live.childNodes;
  morph(live, h('head', {}, h('title', {}, 'b'), h('meta', { name: 'x', content: '2' })));
  assert.deepEqual(live.childNodes, [title, added, meta]);
  assert.equal(title.textContent, 'b');
  assert.equal(meta.getAttribute('content'), '2');
});

test('a data block script is patched like any element', () => {
  const live = h('head', {}, h('script', { type: 'application/ld+json' }, '{"a":1}'));
  const block = live.childNodes[0];
  morph(live, h('head', {}, h('script', { type: 'application/ld+json' }, '{"a":2}')));
  assert.equal(live.childNodes[0], block);
  assert.equal(block.textContent, '{"a":2}');
});

test('nodes the client owns stay in place untouched, and the new copy\'s injected tag is not added', () => {
  const owned = h('hmrd-overlay', { 'data-client-owned': '' });
  const client = h('script', { src: '/__hmr/client.js?build=1', 'data-client-owned': '' });
  const live = h('body', {}, h('p', {}, 'a'), owned, h('p', {}, 'b'), client);
  const next = h('body', {}, h('p', {}, 'a'), h('p', {}, 'b2'), h('script', { src: '/__hmr/client.js?build=2', 'data-injected': '' }));
  morph(live, next);
  assert.deepEqual(live.childNodes.map((c) => c.nodeName), ['P', 'HMRD-OVERLAY', 'P', 'SCRIPT']);
  assert.equal(live.childNodes[1], owned);
  assert.equal(live.childNodes[3], client);
  assert.equal(live.childNodes[2].textContent, 'b2');
});

test('a stylesheet link swapped to ?hmr= keeps its element and its busted href', () => {
  const link = h('link', { rel: 'stylesheet', href: 'a.css?hmr=1' });
  const live = h('head', {}, h('title', {}, 't'), link);
  const done = morph(live, h('head', {}, h('title', {}, 't'), h('link', { rel: 'stylesheet', href: 'a.css' })));
  assert.deepEqual(done, []);
  assert.equal(live.childNodes[1], link);
});

test('an element between unchanged siblings keeps them when it is replaced by another kind', () => {
  const live = h('div', {}, h('p', {}, 'a'), h('table'), h('p', {}, 'b'));
  const [a, , b] = live.childNodes;
  morph(live, h('div', {}, h('p', {}, 'a'), h('ul'), h('p', {}, 'b')));
  assert.deepEqual(live.childNodes.map((c) => c.nodeName), ['P', 'UL', 'P']);
  assert.equal(live.childNodes[0], a);
  assert.equal(live.childNodes[2], b);
});
