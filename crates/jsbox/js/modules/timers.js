// timers: the timer functions that are also globals.
(function (exports, require, module, internal) {
  'use strict';
  Object.assign(exports, internal.timers);
})
