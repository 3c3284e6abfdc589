// process: the same object as the `process` global.
(function (exports, require, module, internal) {
  'use strict';
  module.exports = internal.process;
})
