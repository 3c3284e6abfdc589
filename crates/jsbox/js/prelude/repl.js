// The REPL's `_` (the last result) and `_error` (the last error), loaded by a
// runtime's first REPL input. As in Node, a script that assigns either takes
// it over: a note is printed once and the REPL stops updating it.
(function (host, core) {
  'use strict';
  const { defineProperty } = core.primordials;
  const last = { __proto__: null, _: undefined, _error: undefined };
  function install(name) {
    defineProperty(globalThis, name, {
      __proto__: null,
      configurable: true,
      enumerable: false,
      get() { return last[name]; },
      set(value) {
        defineProperty(globalThis, name, {
          __proto__: null, value, writable: true, enumerable: true, configurable: true,
        });
        core.emit(false, 'Expression assignment to ' + name + ' now disabled.');
      },
    });
  }
  install('_');
  install('_error');
  return function record(name, value) { last[name] = value; };
})
