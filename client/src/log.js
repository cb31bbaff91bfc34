// The client's console output, each line led by [hmr]. ?log=false silences the
// chatter (info); warnings and errors always show.

const LOG_PREFIX = '[hmr]';

// Chatter is words and numbers: one string is one value for the console (and for an
// attached debugger, which copies each argument) instead of several, in every tab.
const isWord = (arg) => typeof arg === 'string' || typeof arg === 'number';

function createLog(chatty) {
  return {
    info: (...args) => {
      if (!chatty) return;
      if (args.every(isWord)) console.log(LOG_PREFIX + ' ' + args.join(' '));
      else console.log(LOG_PREFIX, ...args);
    },
    warn: (...args) => console.warn(LOG_PREFIX, ...args),
    error: (...args) => console.error(LOG_PREFIX, ...args),
  };
}
