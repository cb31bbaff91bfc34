// The error overlay and the "rebuilding" indicator. Both live in open shadow roots
// of uniquely named elements, so page CSS cannot restyle them and tests can look in.

const INDICATOR_DELAY_MS = 200;   // Builds quicker than this never show the indicator: no flicker.

function createOverlay(enabled) {
  const OVERLAY_CSS =
    ':host{all:initial;position:fixed;inset:0;z-index:2147483647;display:block}' +
    '.backdrop{position:fixed;inset:0;overflow:auto;background:rgba(12,13,16,.9);color:#dcdfe4;' +
    'font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}' +
    '.panel{box-sizing:border-box;max-width:960px;margin:6vh auto;padding:16px 20px;background:#1b1d23;' +
    'border-top:4px solid #ff6b68;border-radius:6px;box-shadow:0 12px 40px rgba(0,0,0,.5)}' +
    'header{display:flex;justify-content:space-between;align-items:center;font:600 15px system-ui,sans-serif;color:#ff8c8a}' +
    'button{all:unset;cursor:pointer;color:#9da5b4;font:20px/1 system-ui,sans-serif;padding:2px 8px;border-radius:4px}' +
    'button:hover{background:#2c313a;color:#fff}' +
    'pre{margin:12px 0 0;white-space:pre-wrap;word-break:break-word;font:inherit}' +
    'footer{margin-top:14px;font:12px system-ui,sans-serif;color:#7f848e}';
  const OVERLAY_HTML =
    '<div class="backdrop"><div class="panel" role="alertdialog" aria-label="Build failed">' +
    '<header><span>Build failed</span><button type="button" title="Dismiss (Esc)" aria-label="Dismiss">\u00d7</button></header>' +
    '<pre></pre><footer>The page keeps its last good state and updates when the build succeeds. Esc dismisses this.</footer>' +
    '</div></div>';
  const INDICATOR_CSS =
    ':host{all:initial;position:fixed;right:12px;bottom:12px;z-index:2147483647;pointer-events:none;display:block}' +
    'div{display:flex;align-items:center;gap:6px;padding:4px 10px;border-radius:12px;background:rgba(27,29,35,.85);' +
    'color:#dcdfe4;font:12px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.25)}' +
    'i{width:7px;height:7px;border-radius:50%;background:#61afef;animation:p 1s ease-in-out infinite}' +
    '@keyframes p{50%{opacity:.25}}';

  let overlay = null;
  let overlayText = null;
  let dismissedText = null;
  let indicator = null;
  let indicatorTimer = null;

  // An element with an open shadow root holding `css` and `html` (both constants).
  function mount(tag, css, html) {
    const parent = document.documentElement;
    if (!parent) return null;
    const host = document.createElement(tag);
    const root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
    const style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
    const body = document.createElement('div');
    body.innerHTML = html;
    while (body.firstChild) root.appendChild(body.firstChild);
    parent.appendChild(host);
    return { host, root };
  }

  function unmount(part) {
    if (part && part.host.parentNode) part.host.parentNode.removeChild(part.host);
    return null;
  }

  function hideOverlay() {
    overlay = unmount(overlay);
    overlayText = null;
  }

  // `fresh`: the errors come from a build that just ran (shown even if the same
  // text was dismissed); a replay on reconnect respects an earlier Esc.
  function showErrors(text, fresh) {
    if (!enabled) return;
    if (!fresh && text === dismissedText) return;
    dismissedText = null;
    if (overlay && overlayText === text) return;
    if (!overlay) {
      overlay = mount('hmrd-overlay', OVERLAY_CSS, OVERLAY_HTML);
      if (!overlay) return;
      overlay.root.querySelector('button').addEventListener('click', dismiss);
    }
    overlay.root.querySelector('pre').innerHTML = ansiToHtml(text); // ansiToHtml escapes all of it.
    overlayText = text;
  }

  function dismiss() {
    dismissedText = overlayText;
    hideOverlay();
  }

  function clearErrors() {
    dismissedText = null;
    hideOverlay();
  }

  function building(active) {
    clearTimeout(indicatorTimer);
    indicatorTimer = null;
    if (!active) { indicator = unmount(indicator); return; }
    if (!enabled || indicator) return;
    indicatorTimer = setTimeout(() => {
      indicatorTimer = null;
      indicator = mount('hmrd-indicator', INDICATOR_CSS, '<div role="status"><i></i>rebuilding\u2026</div>');
    }, INDICATOR_DELAY_MS);
  }

  if (typeof window.addEventListener === 'function') {
    window.addEventListener('keydown', (event) => {
      if (overlay && (event.key === 'Escape' || event.key === 'Esc')) dismiss();
    }, true);
  }

  return { showErrors, clearErrors, building };
}
