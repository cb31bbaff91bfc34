/*
 * Types for the page-facing API of hmrd's browser client (hmr-client.js). It defines
 * `window.hmr` as soon as it runs, which needs no `import.meta`, so the same file runs
 * without hmrd (guard with `window.hmr?.accept(...)`) and in classic scripts. In the
 * ES modules hmrd serves itself (--serve), `import.meta.hot` is Vite's API.
 *
 *     /// <reference path="hmr-client.d.ts" />
 *     window.hmr?.accept('js/app.js', (next) => next.mount());
 *     if (import.meta.hot) import.meta.hot.accept((next) => next?.mount());
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
  /**
   * What the build changed in the out dir's ES module import graph since build `since`
   * (modules new or of another version, and the keys that left), when at most 100 moved.
   */
  graph?: {
    since: string;
    modules: Record<string, { version: string; imports: string[]; dynamic?: string[]; hot?: true }>;
    removed: string[];
  };
}

export interface HmrStatus {
  /** The build the page shows now; null until the client has heard of one. */
  hash: string | null;
  state: 'idle' | 'building' | 'error';
  /** True while the event stream is open: the page's own, or the one its browser's tabs share. */
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

/** A module's namespace object, as `import()` gives it. */
export type HmrModuleNamespace = Record<string, any> & { [Symbol.toStringTag]: 'Module' };

/** One module update in Vite's shape; paths are keys under the public path, led by "/". */
export interface HmrUpdate {
  type: 'js-update';
  /** The boundary: the module whose accept callback takes the update. */
  path: string;
  /** The module imported anew: `path` itself when it accepts itself, else its dependency. */
  acceptedPath: string;
  timestamp: number;
  explicitImportRequired: boolean;
  isWithinCircularImport: boolean;
  /** Set in an update that an invalidate() started. */
  firstInvalidatedBy?: string;
}

/** The payloads of the events hmrd fires for `import.meta.hot.on`, as Vite does. */
export interface HmrHotEvents {
  'vite:beforeUpdate': { type: 'update'; updates: HmrUpdate[] };
  'vite:afterUpdate': { type: 'update'; updates: HmrUpdate[] };
  'vite:beforeFullReload': { type: 'full-reload'; path?: string; triggeredBy?: string };
  'vite:beforePrune': { type: 'prune'; paths: string[] };
  'vite:invalidate': { path: string; message: string | undefined; firstInvalidatedBy: string };
  /** A failed build: its output tail, ANSI colours kept. */
  'vite:error': { type: 'error'; err: { message: string; stack: string } };
  building: HmrBuildingPayload;
  built: HmrBuildPayload;
  sync: HmrBuildPayload;
}

/** An event's payload: Vite's events and the stream's actions, and HmrPayload for a custom action. */
export type HmrHotEventPayload<T extends string> = T extends keyof HmrHotEvents ? HmrHotEvents[T] : HmrPayload;

/**
 * `import.meta.hot` in a module hmrd serves (`--serve`): Vite's API, so code written
 * for Vite's HMR runs unchanged. Dependencies are specifiers as the module imports
 * them ('./dep.js'). When a module is replaced, its new instance starts with no
 * callbacks of its own; `data` is the same object for every instance of the module.
 */
export interface HmrHotContext {
  /** Per module, kept across its replacements (not page reloads). */
  readonly data: any;
  /** This module takes its own updates: it is imported anew and the page keeps running. */
  accept(): void;
  accept(cb: (mod: HmrModuleNamespace | undefined) => void): void;
  /** This module takes updates of `dep`, and gets its new version. */
  accept(dep: string, cb: (mod: HmrModuleNamespace | undefined) => void): void;
  /** One call per update; a dependency that did not change is undefined. */
  accept(deps: readonly string[], cb: (mods: Array<HmrModuleNamespace | undefined>) => void): void;
  /** As accept(cb): which exports are accepted is not checked. */
  acceptExports(exportNames: string | readonly string[], cb?: (mod: HmrModuleNamespace | undefined) => void): void;
  /** Runs once, just before this instance is replaced or pruned. */
  dispose(cb: (data: any) => void): void;
  /** Runs when no module imports this one any more. */
  prune(cb: (data: any) => void): void;
  /** This module cannot take the update: its importers are updated instead (or the page reloads). */
  invalidate(message?: string): void;
  /** Any update that reaches this module reloads the page. */
  decline(): void;
  on<T extends string>(event: T, cb: (payload: HmrHotEventPayload<T>) => void): void;
  off<T extends string>(event: T, cb: (payload: HmrHotEventPayload<T>) => void): void;
  /** Does nothing: hmrd has no channel from the page back to the server. */
  send<T extends string>(event: T, data?: unknown): void;
}

declare global {
  interface Window {
    /** hmrd's client; undefined when the page was loaded without it. */
    hmr?: Hmr;
  }
  // eslint-disable-next-line no-var
  var hmr: Hmr | undefined;
  interface ImportMeta {
    /** Defined in modules hmrd serves that mention it; undefined elsewhere (as in a production build). */
    readonly hot?: HmrHotContext;
  }
}
