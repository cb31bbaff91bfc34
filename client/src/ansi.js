// Build output as overlay HTML: ANSI colours and weight become spans, every
// character of the text is escaped, and nothing else gets through. Pure.

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) =>
    ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// Terminal colours, readable on the overlay's dark background.
const ANSI_COLORS = ['#5c6370', '#ff6b68', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#dcdfe4'];
const ANSI_BRIGHT = ['#7f848e', '#ff8c8a', '#b5e07f', '#f5d58f', '#8cc8ff', '#dda6f0', '#7fd3dd', '#ffffff'];
const CUBE_LEVELS = [0, 95, 135, 175, 215, 255];

function xterm256(n) {
  if (n < 8) return ANSI_COLORS[n];
  if (n < 16) return ANSI_BRIGHT[n - 8];
  if (n < 232) {
    const i = n - 16;
    return rgb(CUBE_LEVELS[Math.floor(i / 36)], CUBE_LEVELS[Math.floor(i / 6) % 6], CUBE_LEVELS[i % 6]);
  }
  const level = 8 + 10 * (n - 232);
  return rgb(level, level, level);
}

function rgb(r, g, b) {
  const byte = (v) => Math.max(0, Math.min(255, v | 0));
  return 'rgb(' + byte(r) + ',' + byte(g) + ',' + byte(b) + ')';
}

// Applies one SGR sequence ("1;31", "38;5;208", "38;2;1;2;3", "0") to `style`.
function applySgr(style, params) {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) Object.assign(style, { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false });
    else if (code === 1) style.bold = true;
    else if (code === 2) style.dim = true;
    else if (code === 3) style.italic = true;
    else if (code === 4) style.underline = true;
    else if (code === 22) { style.bold = false; style.dim = false; }
    else if (code === 23) style.italic = false;
    else if (code === 24) style.underline = false;
    else if (code >= 30 && code <= 37) style.fg = ANSI_COLORS[code - 30];
    else if (code >= 90 && code <= 97) style.fg = ANSI_BRIGHT[code - 90];
    else if (code === 39) style.fg = null;
    else if (code >= 40 && code <= 47) style.bg = ANSI_COLORS[code - 40];
    else if (code >= 100 && code <= 107) style.bg = ANSI_BRIGHT[code - 100];
    else if (code === 49) style.bg = null;
    else if (code === 38 || code === 48) {
      const key = code === 38 ? 'fg' : 'bg';
      if (codes[i + 1] === 5 && i + 2 < codes.length) { style[key] = xterm256(codes[i + 2] & 255); i += 2; }
      else if (codes[i + 1] === 2 && i + 4 < codes.length) { style[key] = rgb(codes[i + 2], codes[i + 3], codes[i + 4]); i += 4; }
    }
  }
}

function styleCss(style) {
  const css = [];
  if (style.fg) css.push('color:' + style.fg);
  if (style.bg) css.push('background:' + style.bg);
  if (style.bold) css.push('font-weight:bold');
  if (style.dim) css.push('opacity:.7');
  if (style.italic) css.push('font-style:italic');
  if (style.underline) css.push('text-decoration:underline');
  return css.join(';');
}

// Build output as HTML: every character of the text escaped, colours and weight
// from SGR sequences as spans (their styles are built from numbers and a fixed
// palette, never from the text), other escape and control sequences dropped, and
// a line redrawn with \r shows its last state, as a terminal would.
function ansiToHtml(text) {
  const lines = String(text).replace(/\r\n/g, '\n').split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1));
  const source = lines.join('\n');
  const style = { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false };
  // CSI sequences, OSC sequences (ended by BEL or ESC \), any other escape.
  const escapes = /\x1b\[([0-9;:?<=>]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?/g;
  let html = '';
  const emit = (chunk) => {
    const clean = chunk.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
    if (clean === '') return;
    const css = styleCss(style);
    html += css ? '<span style="' + css + '">' + escapeHtml(clean) + '</span>' : escapeHtml(clean);
  };
  let last = 0;
  let match;
  while ((match = escapes.exec(source)) !== null) {
    emit(source.slice(last, match.index));
    if (match[2] === 'm') applySgr(style, match[1]);
    last = escapes.lastIndex;
  }
  emit(source.slice(last));
  return html;
}
