/*
 * Types for the page-facing API of hmrd's browser client (hmr-client.js), which
 * defines `window.hmr` as soon as it runs. Module code reaches it through
 * `window.hmr` — no `import.meta` needed, so the same file runs without hmrd
 * (guard with `window.hmr?.accept(...)`) and in classic scripts.
 *
 *     /// <reference path="hmr-client.d.ts" />
 *     window.hmr?.accept('js/app.js', (next) => next.mount());
 */

/** The payload of every frame on the event stream; unknown fields are kept. */
export interface HmrPayload {
  /** 'building', 'built', 'sync', or a custom action of your own. */
  action: string;
  /** The daemon's --name; pages with ?name=X only see payloads of X. */
  name: string;
  [field: string]: unknown;
}

/** `building`: a build started because these source paths changed (at most 100). */
export interface HmrBuildingPayload extends HmrPayload {
  action: 'building';
  trigger: string[];
}

/** `built` after every build, `sync` when the stream opens: the whole state. */
export interface HmrBuildPayload extends HmrPayload {
  action: 'built' | 'sync';
  /** The build's wall time in ms. */
  time: number;
  /** Hash of the whole module map; "" before the first build finished. */
  hash: string;
  warnings: string[];
  /** Output tail of a failed build (ANSI colours kept); empty when it succeeded. */
  errors: string[];
  /** Output path (relative to --out, '/'-separated) → content hash. */
  modules: Record<string, string>;
  changes: { added: string[]; removed: string[]; updated: string[] };
}

export interface HmrStatus {
  /** The build the page shows now; null until the client has heard of one. */
  hash: string | null;
  state: 'idle' | 'building' | 'error';
  /** True while the event stream is open. */
  connected: boolean;
}

export interface Hmr {
  /**
   * Take updates of `path` in place instead of reloading the page. `path` is the
   * module's path in the module map ('js/app.js'; './js/app.js', '/js/app.js' and a
   * full URL such as import.meta.url also work). When it changes, the client runs its
   * dispose handlers, imports the new version with `?hmr=<hash>` and passes it to
   * `callback` — the callback the running version registered. Each version calls
   * accept again as it runs.
   */
  accept<M = Record<string, unknown>>(path: string, callback?: (next: M) => void): void;
  /** Runs just before `path` is replaced by a newer version; `data` is `hmr.data`. */
  dispose(path: string, callback: (data: Record<string, unknown>) => void): void;
  /** One plain object that survives re-imports (not page reloads): share state between versions here. */
  readonly data: Record<string, unknown>;
  /** Calls `callback` with every payload of `action`; returns a function that unsubscribes. */
  on(action: 'building', callback: (payload: HmrBuildingPayload) => void): () => void;
  on(action: 'built' | 'sync', callback: (payload: HmrBuildPayload) => void): () => void;
  on(action: string, callback: (payload: HmrPayload) => void): () => void;
  /** Where the client is: the hash the page shows, build state and connection. */
  status(): HmrStatus;
}

declare global {
  interface Window {
    /** hmrd's client; undefined when the page was loaded without it. */
    hmr?: Hmr;
  }
  // eslint-disable-next-line no-var
  var hmr: Hmr | undefined;
}
