// The client's console output, each line led by [hmr]. ?log=false silences the
// chatter (info); warnings and errors always show.

const LOG_PREFIX = '[hmr]';

function createLog(chatty) {
  return {
    info: (...args) => { if (chatty) console.log(LOG_PREFIX, ...args); },
    warn: (...args) => console.warn(LOG_PREFIX, ...args),
    error: (...args) => console.error(LOG_PREFIX, ...args),
  };
}
