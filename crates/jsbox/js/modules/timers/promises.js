// timers/promises: setTimeout, setImmediate and setInterval (an async
// iterator) as promises, and scheduler.wait / scheduler.yield. The same
// functions are setTimeout's and setImmediate's util.promisify.custom; they
// live in the prelude's `events` chunk (js/prelude/events.js) with
// AbortSignal, which cancels them.
(function (exports, require, module, internal) {
  'use strict';
  const { setTimeout, setImmediate, setInterval, scheduler } = internal.events.timersPromises;
  exports.setTimeout = setTimeout;
  exports.setImmediate = setImmediate;
  exports.setInterval = setInterval;
  exports.scheduler = scheduler;
})
