// jsbox built-in module `module`: what Node's `module` offers to code that
// loads other code: createRequire, builtinModules, isBuiltin.
//
// Evaluated as a script whose completion value is this function; jsbox calls
// it once per runtime with a fresh module object.
(function (exports, require, module, internal) {
  'use strict';
  const builtinModules = internal.builtinNames();
  exports.createRequire = internal.createRequire;
  exports.builtinModules = builtinModules;
  exports.isBuiltin = function isBuiltin(name) {
    if (typeof name !== 'string') return false;
    return builtinModules.includes(name.startsWith('node:') ? name.slice(5) : name);
  };
})
