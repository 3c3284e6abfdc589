// CallSite.prototype.getFunction, made to return undefined for frames of
// jsbox's own code (files named jsbox:...) and of native functions, so that no
// internal function is reachable through Error.prepareStackTrace. Loaded the
// first time a script sets prepareStackTrace (js/prelude/stack_hook.js), with
// the engine's own getter and setter of the hook and the core's captured
// built-ins (all three out of scripts' reach).
(function patchCallSites(getHook, setHook, primordials) {
  'use strict';
  // Built-ins as the core captured them before any script ran: a script may
  // have replaced the globals by now.
  if (typeof getHook !== 'function' || typeof setHook !== 'function' ||
      primordials === null || typeof primordials !== 'object') return;
  const { reflectApply, startsWith, defineProperty, getPrototypeOf } = primordials;
  const saved = reflectApply(getHook, Error, []);
  reflectApply(setHook, Error, [(_, sites) => sites[0]]);
  const site = new Error().stack;
  reflectApply(setHook, Error, [saved]);
  const proto = site && getPrototypeOf(site);
  if (!proto || typeof proto.getFunction !== 'function') return;
  // Read once, here: the patch must not depend on what a script put there.
  const { getFunction, getFileName, isNative } = proto;
  const call = (fn, self) => reflectApply(fn, self, []);
  defineProperty(proto, 'getFunction', {
    value: {
      getFunction() {
        const file = call(getFileName, this);
        if (call(isNative, this) || typeof file !== 'string' || reflectApply(startsWith, file, ['jsbox:'])) return undefined;
        return call(getFunction, this);
      },
    }.getFunction,
    writable: true, configurable: true, enumerable: false,
  });
})
