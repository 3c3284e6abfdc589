// jsbox built-in module `assert/strict`: the strict variant of `assert`
// (`require('assert').strict`), where equal is strictEqual, deepEqual is
// deepStrictEqual and so on. It loads `assert`, so a policy must allow both.
(function (exports, require, module) {
  'use strict';
  module.exports = require('assert').strict;
})
