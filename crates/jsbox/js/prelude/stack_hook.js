// Error.prepareStackTrace as scripts see it, made the first time a script
// reads or writes it (until then a native accessor stands in, holding the
// engine's own getter and setter of the hook: src/builtins/stack_hook.rs).
//
// The hook hands scripts CallSite objects whose getFunction() returns the
// function of every frame, jsbox's own included: those (and native ones) are
// hidden, so no internal function can be reached through a stack trace. The
// CallSite prototype is only reachable through a call site, so it is patched
// (js/prelude/callsites.js) the first time a script sets the hook (QuickJS
// keeps the hook behind this accessor; a property put in its place is not
// read).
// QuickJS-ng also leaks one reference per error made while the hook holds an
// object that is not a function, and the leak aborts the process when the
// runtime is freed: only functions reach the engine; any other value is kept
// here (and read back, as in V8, which ignores it too).
(function (getHook, setHook, ErrorCtor, host, primordials) {
  'use strict';
  const { reflectApply, defineProperty } = primordials;
  let patched = false;
  let other;
  let holdsOther = false;
  const set = function prepareStackTrace(hook) {
    if (!patched) {
      patched = true;
      host.loadChunk('callsites')(getHook, setHook, primordials);
    }
    holdsOther = typeof hook !== 'function' && hook !== undefined && hook !== null;
    other = holdsOther ? hook : undefined;
    reflectApply(setHook, ErrorCtor, [holdsOther ? undefined : hook]);
  };
  const get = function prepareStackTrace() {
    return holdsOther ? other : reflectApply(getHook, ErrorCtor, []);
  };
  defineProperty(ErrorCtor, 'prepareStackTrace', {
    __proto__: null, get, set, configurable: true, enumerable: false,
  });
  return { __proto__: null, get, set };
})
