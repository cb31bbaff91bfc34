// Ghost sync (hmrd --sync): this page posts what its user does (scroll, clicks, text,
// boxes, selects, form submits, opening another page of the site) to P/sync and does
// what the other pages' users did, as `ghost` frames arrive. Only what a person did is
// posted (a trusted event, outside a mirrored action), so a mirrored action is never
// mirrored back. Elements are found by a path that survives re-rendering.

const GHOST_SCROLL_MS = 50;          // Scroll positions sent at most this often: smooth enough for the eye.
const GHOST_ECHO_MS = 300;           // A scroll event this soon after a mirrored scroll, to that spot, is its echo.
const GHOST_NAVIGATED = 'hmr-ghost-navigated'; // sessionStorage: this load followed another page; it says nothing.

// Where an element is, as a selector that finds it again after the page re-renders:
// its id, a form field's name, or the steps down from the nearest ancestor with an id.
function ghostPath(el) {
  if (!el || el.nodeType !== 1) return null;
  const doc = el.ownerDocument;
  const unique = (selector) => {
    try { return doc.querySelectorAll(selector).length === 1 ? selector : null; } catch (_) { return null; }
  };
  if (el.id) {
    const byId = unique('#' + cssEscape(el.id));
    if (byId) return byId;
  }
  const name = el.getAttribute && el.getAttribute('name');
  if (name) {
    let selector = el.localName + '[name="' + cssEscape(name) + '"]';
    if (el.type === 'radio' || el.type === 'checkbox') selector += '[value="' + cssEscape(String(el.value)) + '"]';
    const byName = unique(selector);
    if (byName) return byName;
  }
  const steps = [];
  let node = el;
  while (node && node.nodeType === 1 && node !== doc.documentElement) {
    if (node !== el && node.id && unique('#' + cssEscape(node.id))) {
      steps.unshift('#' + cssEscape(node.id));
      return steps.join(' > ');
    }
    let index = 1;
    for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
      if (sibling.localName === node.localName) index += 1;
    }
    steps.unshift(node.localName + ':nth-of-type(' + index + ')');
    node = node.parentElement;
  }
  return steps.length ? 'html > ' + steps.join(' > ') : null;
}

function cssEscape(text) {
  if (typeof CSS !== 'undefined' && typeof CSS.escape === 'function') return CSS.escape(text);
  return String(text).replace(/[^a-zA-Z0-9_-]/g, (c) => '\\' + c.charCodeAt(0).toString(16) + ' ');
}

// A scroll position as a share of how far the page can scroll (0 where it cannot).
function scrollShare(position, size, viewport) {
  const room = size - viewport;
  return room > 0 ? Math.min(1, Math.max(0, position / room)) : 0;
}

// The page's own path, query and fragment: what another page of the same site opens.
function sitePath(href) {
  const url = new URL(href);
  return url.pathname + url.search + url.hash;
}

// A sender that posts one action after the other: beacons go out on several
// connections and may arrive out of order, and "Ada" after "Ada L" would be wrong.
function inOrderSender(target) {
  let chain = Promise.resolve();
  return (json) => {
    chain = chain.then(() => fetch(target, { method: 'POST', body: json, keepalive: true, mode: 'no-cors',
      headers: { 'Content-Type': 'text/plain' } })).catch(() => {});
  };
}

// `send(json)` posts an action; `pageId` is the page's report id.
// `navigationType`: how this page was loaded ('navigate', 'reload', 'back_forward').
function createGhost({ pageId, send, now, storage, navigationType }) {
  let connected = false;
  let announced = false;       // This load said where it is (once its stream first opened).
  let applying = false;        // A mirrored action is being done: what it fires is not the user.
  let echo = null;             // { x, y, until }: where a mirrored scroll went.
  let scrollTimer = null;
  let lastScrollSent = 0;

  function post(action) {
    if (!connected) return;
    try { send(JSON.stringify(Object.assign({ page: pageId, url: location.href }, action))); } catch (_) { /* Never the page's problem. */ }
  }

  function userDid(event) {
    return event.isTrusted !== false && !applying;
  }

  function scrolled() {
    const root = document.scrollingElement || document.documentElement;
    const x = scrollShare(window.scrollX, root.scrollWidth, window.innerWidth);
    const y = scrollShare(window.scrollY, root.scrollHeight, window.innerHeight);
    if (echo && now() < echo.until && Math.abs(window.scrollX - echo.x) < 2 && Math.abs(window.scrollY - echo.y) < 2) return;
    post({ kind: 'scroll', x, y });
  }

  function onScroll(event) {
    if (!userDid(event)) return;
    const t = now();
    clearTimeout(scrollTimer);
    if (t - lastScrollSent >= GHOST_SCROLL_MS) {
      lastScrollSent = t;
      scrolled();
    } else {
      scrollTimer = setTimeout(() => { lastScrollSent = now(); scrolled(); }, GHOST_SCROLL_MS - (t - lastScrollSent));
    }
  }

  function onClick(event) {
    if (!userDid(event)) return;
    const el = event.target;
    // A link opens another page: its load says `navigate`; a field's own events say the
    // rest; a form's submit button sends the form, which says `submit`.
    if (!el || !el.closest || el.closest('a[href]') || isField(el) || submitsForm(el)) return;
    const target = ghostPath(el);
    if (target) post({ kind: 'click', target });
  }

  function onInput(event) {
    if (!userDid(event)) return;
    const el = event.target;
    if (!isField(el) || el.type === 'checkbox' || el.type === 'radio' || el.localName === 'select') return;
    const target = ghostPath(el);
    if (target) post({ kind: 'input', target, value: String(el.value) });
  }

  function onChange(event) {
    if (!userDid(event)) return;
    const el = event.target;
    const target = ghostPath(el);
    if (!target) return;
    if (el.type === 'checkbox' || el.type === 'radio') post({ kind: 'check', target, checked: Boolean(el.checked) });
    else if (el.localName === 'select') post({ kind: 'select', target, values: Array.from(el.selectedOptions || [], (o) => o.value) });
  }

  function onSubmit(event) {
    if (!userDid(event)) return;
    const target = ghostPath(event.target);
    if (target) post({ kind: 'submit', target });
  }

  // What another page's user did, done here; an element not found is left alone.
  function apply(payload) {
    if (!payload || payload.from === pageId) return;
    if (payload.kind === 'navigate') return follow(payload.to);
    if (payload.kind === 'scroll') return scrollTo(payload.x, payload.y);
    let el = null;
    try { el = typeof payload.target === 'string' ? document.querySelector(payload.target) : null; } catch (_) { el = null; }
    if (!el) return;
    applying = true;
    try {
      switch (payload.kind) {
        case 'click': el.click(); break;
        case 'input': el.value = String(payload.value); fire(el, 'input'); fire(el, 'change'); break;
        case 'check': el.checked = Boolean(payload.checked); fire(el, 'input'); fire(el, 'change'); break;
        case 'select':
          for (const option of el.options || []) option.selected = (payload.values || []).includes(option.value);
          fire(el, 'input'); fire(el, 'change');
          break;
        case 'submit': if (typeof el.requestSubmit === 'function') el.requestSubmit(); else el.submit(); break;
        default: break; // Not ours to know.
      }
    } finally {
      applying = false;
    }
  }

  function scrollTo(x, y) {
    const root = document.scrollingElement || document.documentElement;
    const left = Math.round(Number(x) * Math.max(0, root.scrollWidth - window.innerWidth));
    const top = Math.round(Number(y) * Math.max(0, root.scrollHeight - window.innerHeight));
    echo = { x: left, y: top, until: now() + GHOST_ECHO_MS };
    window.scrollTo(left, top);
  }

  function follow(to) {
    if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//')) return;
    if (sitePath(location.href) === to) return;
    try { storage.setItem(GHOST_NAVIGATED, to); } catch (_) { /* Then this page's next load says where it is: harmless. */ }
    location.assign(to);
  }

  // A page the user opened (a link, an address, back or forward) takes the others
  // along; a reload (an update) or a load that followed another page does not.
  function loaded(navigationType) {
    let followed = null;
    try { followed = storage.getItem(GHOST_NAVIGATED); storage.removeItem(GHOST_NAVIGATED); } catch (_) { followed = null; }
    if (navigationType === 'reload' || followed === sitePath(location.href)) return;
    post({ kind: 'navigate', to: sitePath(location.href) });
  }

  function submitsForm(el) {
    const button = el.closest('button, input[type=submit], input[type=image]');
    return Boolean(button && button.form && (button.type === 'submit' || button.type === 'image'));
  }

  function isField(el) {
    return el && (el.localName === 'input' || el.localName === 'textarea' || el.localName === 'select');
  }

  function fire(el, type) {
    el.dispatchEvent(new Event(type, { bubbles: true }));
  }

  return {
    start() {
      window.addEventListener('scroll', onScroll, { passive: true });
      document.addEventListener('click', onClick, true);
      document.addEventListener('input', onInput, true);
      document.addEventListener('change', onChange, true);
      document.addEventListener('submit', onSubmit, true);
    },
    connected(value) {
      connected = value;
      if (value && !announced) {
        announced = true;
        loaded(navigationType);
      }
    },
    apply,
  };
}
