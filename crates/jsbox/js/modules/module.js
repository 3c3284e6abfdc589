// jsbox built-in module `module`: what Node's `module` offers to code that
// loads other code. As in Node, the module is the Module class itself, with
// createRequire, builtinModules, isBuiltin and the (underscored) statics
// packages read: _extensions (require.extensions), _cache (require.cache),
// wrap/wrapper, _nodeModulePaths, globalPaths.
//
// Evaluated as a script whose completion value is this function; jsbox calls
// it once per runtime with a fresh module object.
(function (exports, require, module, internal) {
  'use strict';
  const builtinModules = internal.builtinNames();
  // Modules Node only has under the node: scheme.
  const schemeOnly = ['sea', 'sqlite', 'test', 'test/reporters'];

  function Module(id = '', parent) {
    this.id = id;
    this.path = id.includes('/') ? id.slice(0, id.lastIndexOf('/')) || '/' : '.';
    this.exports = {};
    this.filename = null;
    this.loaded = false;
    this.children = [];
    this.paths = [];
    void parent;
  }
  function isBuiltin(name) {
    if (typeof name !== 'string') return false;
    if (name.startsWith('node:')) {
      const bare = name.slice(5);
      return builtinModules.includes(bare) || schemeOnly.includes(bare);
    }
    return builtinModules.includes(name);
  }
  const wrapper = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];
  // The node_modules folders a require from `from` searches, nearest first.
  function nodeModulePaths(from) {
    internal.errors.validateString(from, 'from');
    const parts = from.split('/').filter(Boolean);
    const out = [];
    for (let i = parts.length; i > 0; i--) {
      if (parts[i - 1] === 'node_modules') continue;
      out.push('/' + parts.slice(0, i).join('/') + '/node_modules');
    }
    out.push('/node_modules');
    return out;
  }
  Object.assign(Module, {
    Module,
    builtinModules,
    createRequire: internal.createRequire,
    isBuiltin,
    _extensions: internal.extensions,
    _cache: internal.moduleCache,
    wrap: (script) => wrapper[0] + script + wrapper[1],
    wrapper,
    _nodeModulePaths: nodeModulePaths,
    globalPaths: [],
    syncBuiltinESMExports() {},
    findSourceMap() { return undefined; },
  });
  module.exports = Module;
})
