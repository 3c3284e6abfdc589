// The state behind Error.prepareStackTrace, made the first time a script
// reads or writes it (the accessor itself is native and guards the call
// sites: src/builtins/stack_hook.rs).
// QuickJS-ng leaks one reference per error made while the hook holds an
// object that is not a function, and the leak aborts the process when the
// runtime is freed: only functions reach the engine; any other value is kept
// here (and read back, as in V8, which ignores it too).
(function (getHook, setHook, ErrorCtor, primordials) {
  'use strict';
  const { reflectApply } = primordials;
  let other;
  let holdsOther = false;
  function set(hook) {
    holdsOther = typeof hook !== 'function' && hook !== undefined && hook !== null;
    other = holdsOther ? hook : undefined;
    reflectApply(setHook, ErrorCtor, [holdsOther ? undefined : hook]);
  }
  function get() {
    return holdsOther ? other : reflectApply(getHook, ErrorCtor, []);
  }
  return { __proto__: null, get, set };
})
