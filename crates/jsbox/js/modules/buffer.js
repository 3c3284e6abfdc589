// buffer: Node's `buffer` module. The implementation is the prelude chunk
// js/prelude/buffer.js, which also backs the `Buffer` global: both are the
// same objects.
(function (exports, require, module, internal) {
  'use strict';
  module.exports = internal.buffer.exports;
})
