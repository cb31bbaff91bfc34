import { render } from "./view.js";
import * as api from "./api/client.js";
import defaultThing, { helper as h } from "../shared/helper.js";
import "./styles.css.js";
export { format } from "./format.js";
export * from "./types.js";
export * as util from "./util/index.js";
const pattern = /import\("fake"\)|[/"']/g;
const ratio = (window.innerWidth / 2) / 3;
const message = `loading ${api.name} at ${ratio.toFixed(2)} / ${`nested ${"}"}`}`;
export async function start(root, view) {
    // import("./commented.js") is not an import
    /* nor is import "./block.js" */
    const { lazy } = await import("./lazy.js");
    const which = pattern.test(message) ? "./a.js" : "./b.js";
    const dynamic = await import(which);
    render(root, view, lazy, dynamic, defaultThing, h(ratio));
    if (import.meta.hot) {
        import.meta.hot.accept();
    }
}
export default class App {
    load(path) { return import(/* webpackChunkName: "x" */ "./chunk.js"); }
    get options() { return { import: "./not-a-module.js", "export": 'no' }; }
}
