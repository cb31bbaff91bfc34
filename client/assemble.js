#!/usr/bin/env node
// Assembles client/src/*.js, in the order below, into client/hmr-client.js: the one
// classic script the daemon serves (and embeds at build time). The files share the
// scope of one function, so including the script twice declares nothing twice.
//
//   node client/assemble.js          write client/hmr-client.js if it changed
//   node client/assemble.js --check  exit 1 if it is not what client/src assembles to
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// Pure rules first, then the browser parts, then the wiring that starts them.
const ORDER = [
  'rules.js', 'urls.js', 'graph.js', 'propagate.js', 'ansi.js', 'connection.js', 'share.js',
  'log.js', 'overlay.js', 'scanner.js', 'swapper.js', 'modules.js', 'listeners.js', 'hot.js', 'esm.js', 'morph.js', 'html.js', 'refetch.js', 'updates.js', 'report.js', 'ghost.js',
  'stream.js', 'boot.js',
];
const SOURCE_DIR = path.join(__dirname, 'src');
const TARGET = path.join(__dirname, 'hmr-client.js');
const MARKER = '/*HMR_BOOT*/null'; // The daemon replaces it with the page's build (ClientScript.swift).
const INDENT = '  ';

const PROLOGUE = [
  '/*',
  ' * hmr-client.js: the browser side of hmrd, served at <path>/client.js. It opens the',
  ' * daemon\'s event stream (found from its own src) and keeps the page current after',
  ' * every build. Assembled from client/src/ by client/assemble.js: edit those files.',
  ' */',
  '(function () {',
  '  \'use strict\';',
  '',
  '  const BOOT = ' + MARKER + ';',
  '',
];
const EPILOGUE = ['})();', ''];

// Names a file declares at its top level (column 0), where every file's live side by side.
function topLevelNames(text) {
  const names = [];
  const declaration = /^(?:async\s+)?(?:function\s*\*?\s*|const\s+|let\s+|var\s+|class\s+)([A-Za-z_$][\w$]*)/gm;
  for (const match of text.matchAll(declaration)) names.push(match[1]);
  return names;
}

// Why a file cannot be assembled, or null.
function problem(name, text) {
  if (/[\r\0]/.test(text)) return 'holds a carriage return or a NUL byte';
  if (!text.endsWith('\n')) return 'does not end with a line break';
  const header = text.split('\n').findIndex((line) => !line.startsWith('//'));
  if (header < 2 || header > 5 || text.split('\n')[header] !== '') {
    return 'must open with 2 to 5 comment lines saying what it is for, then a blank line';
  }
  if (text.includes('/*HMR_BOOT*/')) return 'holds the boot marker, which only the prologue may';
  // Indenting a line inside a template literal would change the string.
  const code = text.split('\n').filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line)).map((line) => line.replace(/\/\/.*$/, ''));
  if (code.some((line) => line.includes('`'))) return 'uses a template literal; use quotes';
  return null;
}

// `sources`: [{ name, text }] in ORDER. Returns the script, or throws saying what is wrong.
function assemble(sources) {
  const names = sources.map((s) => s.name);
  if (names.join() !== ORDER.join()) {
    throw new Error('client/src holds ' + (names.join(', ') || 'nothing') + '; the order is ' + ORDER.join(', ') +
      ' (a new file must be added to ORDER in client/assemble.js)');
  }
  const declaredIn = new Map([['BOOT', 'the prologue']]);
  for (const { name, text } of sources) {
    const why = problem(name, text);
    if (why) throw new Error('client/src/' + name + ' ' + why);
    for (const declared of topLevelNames(text)) {
      if (declaredIn.has(declared)) {
        throw new Error('client/src/' + name + ' declares ' + declared + ', as ' + declaredIn.get(declared) + ' does');
      }
      declaredIn.set(declared, 'client/src/' + name);
    }
  }
  const body = [];
  for (const { name, text } of sources) {
    body.push(INDENT + '// --- src/' + name);
    for (const line of text.replace(/\n$/, '').split('\n')) body.push(line === '' ? '' : INDENT + line);
    body.push('');
  }
  body.pop();
  return PROLOGUE.concat(body, EPILOGUE).join('\n');
}

function readSources(dir = SOURCE_DIR) {
  const present = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
  const ordered = ORDER.filter((f) => present.includes(f)).concat(present.filter((f) => !ORDER.includes(f)).sort());
  return ordered.map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

function main(args) {
  let script;
  try {
    script = assemble(readSources());
  } catch (error) {
    console.error('assemble: ' + error.message);
    return 1;
  }
  const current = fs.existsSync(TARGET) ? fs.readFileSync(TARGET, 'utf8') : null;
  const shown = path.relative(process.cwd(), TARGET);
  if (args.includes('--check')) {
    if (current === script) return 0;
    console.error('assemble: ' + shown + ' is not what client/src assembles to; run node client/assemble.js');
    return 1;
  }
  if (current === script) {
    console.log('assemble: ' + shown + ' is up to date');
  } else {
    fs.writeFileSync(TARGET, script);
    console.log('assemble: wrote ' + shown);
  }
  return 0;
}

module.exports = { ORDER, MARKER, assemble, readSources, TARGET };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
