// fs/promises: the same object as require('fs').promises.
(function (exports, require, module, internal) {
  'use strict';
  module.exports = require('fs').promises;
})
