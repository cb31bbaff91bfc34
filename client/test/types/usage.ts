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
