// crypto: Node's `crypto` module. The implementation is the prelude chunk
// js/prelude/crypto.js, which also backs the `crypto` global (the Web Crypto
// object, `crypto.webcrypto` here): both are the same objects.
(function (exports, require, module, internal) {
  'use strict';
  module.exports = internal.crypto.exports;
})
