// An ES module that takes its own updates. Change the label and save: the new
// version replaces this one in place and the count carries on, because it lives in
// hmr.data, which survives re-imports (but not a page reload).
const label = 'Seconds on this page';

const data = window.hmr ? window.hmr.data : {};
clearInterval(data.timer);
data.seconds = data.seconds || 0;
const counter = document.getElementById('counter');
const render = () => { counter.textContent = `${label}: ${data.seconds}`; };
render();
data.timer = setInterval(() => { data.seconds++; render(); }, 1000);

window.hmr?.accept('js/counter.js', () => console.log('counter.js was replaced in place'));
window.hmr?.dispose('js/counter.js', (shared) => clearInterval(shared.timer));
