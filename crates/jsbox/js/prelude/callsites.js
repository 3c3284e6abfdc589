// CallSite.prototype.getFunction, made to return undefined for frames of
// jsbox's own code (files named jsbox:...) and of native functions, so that no
// internal function is reachable through Error.prepareStackTrace. Loaded the
// first time a script sets prepareStackTrace, with the engine's own getter and
// setter of the hook (the core keeps them out of scripts' reach).
(function patchCallSites(getHook, setHook) {
  'use strict';
  const reflectApply = Reflect.apply;
  const startsWith = String.prototype.startsWith;
  const saved = reflectApply(getHook, Error, []);
  reflectApply(setHook, Error, [(_, sites) => sites[0]]);
  const site = new Error().stack;
  reflectApply(setHook, Error, [saved]);
  const proto = site && Object.getPrototypeOf(site);
  if (!proto || typeof proto.getFunction !== 'function') return;
  const { getFunction, getFileName, isNative } = proto;
  const call = (fn, self) => reflectApply(fn, self, []);
  Object.defineProperty(proto, 'getFunction', {
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
