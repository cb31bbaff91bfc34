// Behind hmrd --proxy a backend renders the page from files it has no asset for (a
// template, a .py file). When one changes, the page asks for its own URL again and
// html.js patches what differs. A backend that restarts is waited out; an answer that
// is not this page's HTML (another status, a redirect elsewhere) reloads it instead.

const BACKEND_HEADER = 'X-Hmrd-Backend'; // "down" on the 502 page hmrd answers while the backend is not.
const BACKEND_RETRY_MS = 300;            // That page is asked past this often,
const BACKEND_WAIT_MS = 30000;           // for this long; then the page reloads into it, and it waits by itself.
// A backend may answer the old page for a moment after a save: Django's cached template
// loader is reset on its reloader's one-second tick, and runserver restarts for a .py a
// second late. So the page is asked for again after these pauses, whatever the first
// answer was (a CSRF token makes every answer differ), and patched each time.
const SETTLE_PAUSES_MS = [300, 800, 1000];

// The changed paths that are none of the page's assets: neither its own HTML, a module
// it accepts, a stylesheet, an image nor anything else it loaded (`usage` as planUpdate
// takes it). Removed files count: a template gone changes what renders.
function unusedChanges(diff, usage) {
  const used = (path) => ['page', 'accepted', 'css', 'images', 'uses'].some((k) => Boolean(usage[k]) && usage[k].has(path));
  return diff.added.concat(diff.updated, diff.removed).filter((path) => !used(path)).sort();
}

// Whether an answer is hmrd's page for a backend that is down or restarting.
function isBackendDown(status, header) {
  return status === 502 && String(header || '').trim().toLowerCase() === 'down';
}

// Why an answer ({ status, url, type }) to the page's own URL, asked for as
// `requested`, cannot be patched in, or null.
function refetchProblem(answer, requested) {
  if (answer.url && answer.url !== requested) return 'the page now redirects to ' + answer.url;
  if (answer.status < 200 || answer.status > 299) return 'the page was answered with ' + answer.status;
  if (!isHtmlType(answer.type)) return 'the page is not HTML (' + (answer.type || 'no type') + ')';
  return null;
}

// `html`: html.js's updater; `fetchPage(url)` resolves to a Response; `pageUrl()` is
// the page's address; `wait(ms)` resolves after ms; `now()` is ms on any clock.
function createRefetcher({ html, fetchPage, pageUrl, wait, now, log }) {
  let latest = 0;

  // Resolves to 'applied', 'unchanged' (the page's HTML is what it was), 'superseded'
  // (a later build's fetch took over) or { reload: why }. `path`: what changed, for the log.
  // The follow-ups (SETTLE_PAUSES_MS) patch quietly; one that cannot goes to `late`.
  function update(path, late = () => {}) {
    const mine = ++latest;
    const url = new URL(pageUrl());
    url.hash = '';
    const requested = url.href;
    const started = now();
    let told = false;
    const ask = () => fetchPage(requested).then((response) => {
      if (mine !== latest) return 'superseded';
      if (isBackendDown(response.status, response.headers.get(BACKEND_HEADER)) && now() - started < BACKEND_WAIT_MS) {
        if (!told) log.info('the backend is not answering; the page waits for it to update', path);
        told = true;
        return wait(BACKEND_RETRY_MS).then(() => (mine !== latest ? 'superseded' : ask()));
      }
      const why = refetchProblem({ status: response.status, url: response.url, type: response.headers.get('content-type') || '' },
        requested);
      if (why) throw notPatchable(why);
      return response.arrayBuffer().then((buffer) => (mine !== latest ? 'superseded' : html.patch(buffer, path)));
    }).catch((error) => {
      if (mine !== latest) return 'superseded';
      const why = error && error.notPatchable ? error.message : String(error);
      log.info('cannot update', path, 'in place:', why);
      return { reload: why };
    });
    const followUp = (n) => {
      if (n >= SETTLE_PAUSES_MS.length) return;
      wait(SETTLE_PAUSES_MS[n]).then(() => (mine !== latest ? 'superseded' : ask())).then((result) => {
        if (result === 'superseded') return;
        if (typeof result === 'string') followUp(n + 1);
        else late(result);
      });
    };
    return ask().then((result) => {
      if (typeof result === 'string' && result !== 'superseded') followUp(0);
      return result;
    });
  }

  return { update, available: html.available };
}
