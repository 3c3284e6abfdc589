// jsbox built-in module `stream/promises`: pipeline and finished returning
// promises, the same object as require('stream').promises (as in Node).
(function (exports, require, module, internal) {
  'use strict';
  module.exports = require('stream').promises;
})
