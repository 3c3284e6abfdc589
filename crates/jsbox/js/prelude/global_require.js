// The global `require`, made on its first read: the module system's, but a
// module already loaded, or a host module (Options::host_module) the policy
// allows, is given without loading the module system, which a runtime that
// only calls a host module never needs. `hostModule` (native, in
// src/builtins/lazy_globals.rs) makes a host module's exports, or returns
// undefined when the module system must decide (not a host module, denied,
// or its calls logged).
(function (host, core) {
  'use strict';
  const { load, natives } = core;
  return function makeGlobalRequire(hostModule) {
    const modulesRequire = () => load('modules').require;
    const globalRequire = function require(id) {
      if (typeof id === 'string') {
        const existing = natives[id];
        if (existing !== undefined && existing.loaded) return existing.exports;
        if (existing === undefined) {
          const exports = hostModule(id);
          if (exports !== undefined) {
            natives[id] = { __proto__: null, id, exports, loaded: true };
            return exports;
          }
        }
      }
      return modulesRequire()(id);
    };
    // require.resolve, .main, .extensions and .cache: native accessors that
    // read the module system's (REQUIRE_PROPERTIES in lazy_globals.rs).
    return globalRequire;
  };
})
