// Compiled by `tsc --noEmit --strict` in scripts/test: the declarations in
// hmr-client.d.ts accept the documented usage and refuse misuse.
import type { HmrBuildPayload } from '../../hmr-client';

window.hmr?.accept('js/app.js', (next: { mount(): void }) => next.mount());
window.hmr?.accept('js/app.js');
window.hmr?.dispose('js/app.js', (data) => { data.count = 1; });
const off: () => void = window.hmr?.on('built', (p: HmrBuildPayload) => p.modules['a.css'].length) ?? (() => {});
off();
window.hmr?.on('building', (p) => p.trigger.join(','));
window.hmr?.on('deploy', (p) => p.name);
const state: 'idle' | 'building' | 'error' | undefined = window.hmr?.status().state;
const hash: string | null | undefined = window.hmr?.status().hash;
void state; void hash;

// @ts-expect-error accept needs a path
window.hmr?.accept((next: unknown) => next);
// @ts-expect-error status is read-only data, not a setter
window.hmr?.status('idle');
// @ts-expect-error hmr.data cannot be replaced, only filled
if (window.hmr) window.hmr.data = {};

// import.meta.hot: a module written for Vite's HMR compiles unchanged.
if (import.meta.hot) {
  import.meta.hot.accept((m) => m?.render());
  import.meta.hot.dispose((data) => { data.x = 1; });
}
import.meta.hot?.accept();
import.meta.hot?.accept('./dep.js', (dep) => dep?.value);
import.meta.hot?.accept(['./a.js', './b.js'], ([a, b]) => [a?.x, b?.y]);
import.meta.hot?.prune((data) => { delete data.x; });
import.meta.hot?.invalidate('cannot take this one');
import.meta.hot?.invalidate();
import.meta.hot?.decline();
const kept: unknown = import.meta.hot?.data.count;
void kept;
const beforeUpdate = (p: { type: 'update'; updates: Array<{ path: string; acceptedPath: string }> }) => p.updates.length;
import.meta.hot?.on('vite:beforeUpdate', beforeUpdate);
import.meta.hot?.off('vite:beforeUpdate', beforeUpdate);
import.meta.hot?.on('vite:beforeFullReload', (p) => p.triggeredBy);
import.meta.hot?.on('vite:invalidate', (p) => p.firstInvalidatedBy.length);
import.meta.hot?.on('vite:error', (p) => p.err.message.length);
import.meta.hot?.on('built', (p) => p.modules['app.js']);
import.meta.hot?.on('deploy', (p) => p.name);
import.meta.hot?.send('my:event', { any: 'thing' });

// @ts-expect-error import.meta.hot is undefined where hmrd did not serve the module
import.meta.hot.accept();
// @ts-expect-error accept takes a callback, a dependency or a list of them
import.meta.hot?.accept(42);
// @ts-expect-error a list of dependencies gets a list of modules
import.meta.hot?.accept(['./a.js'], (m: { x: number }) => m.x);
// @ts-expect-error import.meta.hot cannot be replaced
import.meta.hot = undefined;
// @ts-expect-error the payload of vite:error has no updates
import.meta.hot?.on('vite:error', (p) => p.updates);
