// The generator that assembles client/src/ into the one served script, and the
// check that the checked-in client/hmr-client.js is what it assembles today.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vm = require('node:vm');
const { ORDER, MARKER, assemble, readSources, TARGET } = require('../assemble.js');

const HEADER = '// What this file is for,\n// and why.\n\n';
// Stand-ins for the real files, one per name in ORDER.
const fakes = () => ORDER.map((name, i) => ({ name, text: HEADER + 'const part' + i + ' = ' + i + ';\n' }));
const replacing = (name, text) => fakes().map((f) => (f.name === name ? { name, text } : f));

test('the checked-in hmr-client.js is what client/src assembles to (run node client/assemble.js)', () => {
  assert.equal(fs.readFileSync(TARGET, 'utf8'), assemble(readSources()));
});

test('every file in client/src is in the order, and the order names only files that exist', () => {
  assert.deepEqual(readSources().map((s) => s.name), ORDER);
});

test('the files share one function, with the boot marker once, at the top', () => {
  const script = assemble(fakes());
  assert.equal(script.split(MARKER).length - 1, 1);
  assert.match(script, /^\/\*[\s\S]*?\*\/\n\(function \(\) \{\n  'use strict';\n\n  const BOOT = \/\*HMR_BOOT\*\/null;\n/);
  assert.ok(script.endsWith('\n})();\n'));
  const context = vm.createContext({});
  vm.runInContext(script, context);
  vm.runInContext(script, context);
  assert.deepEqual(Object.keys(context), [], 'nothing leaks out, so twice is harmless');
});

test('each file follows the last in order, indented, led by its name', () => {
  const script = assemble(fakes());
  const at = ORDER.map((name) => script.indexOf('\n  // --- src/' + name + '\n  // What this file is for,\n'));
  assert.ok(at.every((i) => i > 0));
  assert.deepEqual([...at].sort((a, b) => a - b), at);
  assert.ok(script.includes('\n  const part0 = 0;\n'));
});

test('a file missing from the order, or a missing file, is refused', () => {
  assert.throws(() => assemble(fakes().concat({ name: 'zz.js', text: HEADER })), /must be added to ORDER/);
  assert.throws(() => assemble(fakes().slice(1)), /the order is/);
});

test('a name declared at the top level of two files is refused', () => {
  const files = replacing(ORDER[1], HEADER + 'function part0() {}\n');
  assert.throws(() => assemble(files), new RegExp('client/src/' + ORDER[1] + ' declares part0, as client/src/' + ORDER[0]));
  assert.throws(() => assemble(replacing(ORDER[0], HEADER + 'const BOOT = 1;\n')), /declares BOOT/);
});

test('a file without a short header saying what it is for is refused', () => {
  for (const text of ['const a = 1;\n', '// One line.\n\nconst a = 1;\n', '// 1\n// 2\n// 3\n// 4\n// 5\n// 6\n\nconst a = 1;\n',
    '// 1\n// 2\nconst a = 1;\n']) {
    assert.throws(() => assemble(replacing(ORDER[0], text)), /must open with 2 to 5 comment lines/, text);
  }
});

test('template literals, the boot marker, carriage returns and a missing last line break are refused', () => {
  const cases = [
    [HEADER + 'const a = `x\n  y`;\n', /template literal/],
    [HEADER + 'const a = ' + MARKER + ';\n', /boot marker/],
    [HEADER + 'const a = 1;\r\n', /carriage return/],
    [HEADER + 'const a = 1;', /line break/],
  ];
  for (const [text, why] of cases) assert.throws(() => assemble(replacing(ORDER[0], text)), why);
  assert.doesNotThrow(() => assemble(replacing(ORDER[0], HEADER + '// A `name` in a comment is fine.\nconst a = 1;\n')));
});
