// comments: import "no"  /* import("no") */
const re = /[/"'`]/g, d = a / b / c, s = "it's \"x\"\
import('no')", t = `a${ {b: `c${d}`}.b }e${"}"}\${import("no")}`;
if (x) /import("no")/.test(y); else /'/.test(z)
x = {a: 1} / 2; y = () => {}
/"/.test(s); f(x) / 2; a++ / 3; b.return / 4
export * as ns from './ns.js'; export { a as "b-c" } from "./names.js"
import d, * as e from "./both.js" with { type: "json" };
await import(/* c */ "./lazy.js", { with: { type: "json" } }); obj.import("no"); ({ import: "no" })
