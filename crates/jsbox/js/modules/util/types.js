// jsbox built-in module `util/types`: the same object as require('util').types.
(function (exports, require, module) {
  'use strict';
  module.exports = require('util').types;
})
