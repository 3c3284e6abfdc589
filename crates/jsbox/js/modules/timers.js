// timers: the timer functions that are also globals, and `promises` (the
// `timers/promises` module, loaded on first read as in Node).
(function (exports, require, module, internal) {
  'use strict';
  const timers = internal.timers;
  for (const name of ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval']) {
    exports[name] = timers[name];
  }
  // Not enumerable (Node's is): call logging copies enumerable exports, and
  // must not load timers/promises (which a policy may deny) by doing so.
  Object.defineProperty(exports, 'promises', {
    get() { return require('timers/promises'); },
    enumerable: false,
    configurable: true,
  });
})
