// Build output as overlay HTML: escaped text, ANSI colours as spans, nothing else.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { ansiToHtml, escapeHtml } = require('../hmr-client.js');

const ESC = '\x1b';

test('plain text is escaped and nothing more', () => {
  assert.equal(ansiToHtml('a < b && c > "d" \'e\''), 'a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;');
});

test('markup in build output comes out as text, never as elements', () => {
  const html = ansiToHtml('<script>alert(1)</script><img src=x onerror="alert(2)">');
  assert.equal(html, '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  assert.ok(!html.includes('<'));
});

test('markup inside a coloured run is still escaped', () => {
  assert.equal(ansiToHtml(`${ESC}[31m<b onclick=x>${ESC}[0m`), '<span style="color:#ff6b68">&lt;b onclick=x&gt;</span>');
});

test('basic, bright, bold and reset SGR codes become spans', () => {
  assert.equal(ansiToHtml(`${ESC}[1;31merror${ESC}[0m: x ${ESC}[92mok${ESC}[39m`),
    '<span style="color:#ff6b68;font-weight:bold">error</span>: x <span style="color:#b5e07f">ok</span>');
});

test('256-colour and true-colour codes become rgb() from numbers only', () => {
  assert.equal(ansiToHtml(`${ESC}[38;5;196mA${ESC}[48;2;1;2;300mB`),
    '<span style="color:rgb(255,0,0)">A</span><span style="color:rgb(255,0,0);background:rgb(1,2,255)">B</span>');
  assert.equal(ansiToHtml(`${ESC}[38;5;244mC`), '<span style="color:rgb(128,128,128)">C</span>');
});

test('an empty SGR resets; code 22 ends bold', () => {
  assert.equal(ansiToHtml(`${ESC}[1mA${ESC}[mB${ESC}[1mC${ESC}[22mD`),
    '<span style="font-weight:bold">A</span>B<span style="font-weight:bold">C</span>D');
});

test('cursor moves, erases, OSC titles and links and stray escapes are dropped', () => {
  assert.equal(ansiToHtml(`a${ESC}[2K${ESC}[1Gb${ESC}]0;title\x07c${ESC}]8;;http://x${ESC}\\d${ESC}(Be${ESC}`), 'abcde');
});

test('a line redrawn with carriage returns shows its last state; CRLF is a newline', () => {
  assert.equal(ansiToHtml('10%\r50%\r100%\r\nnext\r\n'), '100%\nnext\n');
});

test('other control characters are dropped, tabs and newlines kept', () => {
  assert.equal(ansiToHtml('a\x00b\x07c\td\ne\x7f'), 'abc\td\ne');
});

test('escapeHtml escapes the five HTML-special characters', () => {
  assert.equal(escapeHtml('&<>"\''), '&amp;&lt;&gt;&quot;&#39;');
});
