// What the Rust side drives less often than the event loop: running a main
// module (CommonJS or ES), imports and the ES module helpers, `require` from
// Rust, the REPL, promises Rust awaits, and heap-image builds. Read the first
// time one of them is needed (core.js `more`): a runtime that only evaluates
// scripts never reads it, and every runtime is created without it.
(function (host, core) {
  'use strict';
  const { load, loaded, primordials } = core;

  return {
    __proto__: null,
    requireFromRust(request) { return load('modules').requireFromRust(request); },
    replRecord(name, value) { load('repl')(name, value); },
    // A promise Rust waits for itself: its rejection is reported where it is
    // awaited (or dropped with it, after a time limit), never as unhandled.
    awaitedByHost(promise) {
      primordials.reflectApply(primordials.promiseThen, promise, [undefined, () => {}]);
    },
    esm() { return load('modules').esm; },
    importEntry(specifier) { return load('modules').importEntry(specifier); },
    // An ES module as the main module: like runMain, no global `require`.
    importMain(filename) {
      core.removeGlobalRequire();
      return load('modules').importEntry(filename);
    },
    runMain(filename) {
      core.removeGlobalRequire();
      try {
        return load('modules').runMain(filename);
      } catch (err) {
        // An 'uncaughtException' listener takes an error of the main module too.
        if (loaded.process && loaded.process.hook('uncaught', err)) return undefined;
        throw err;
      }
    },
    // Heap images: load now everything a runtime would load on first use, and
    // return the object that holds every native function made, so the image
    // can keep them alive.
    warm() {
      for (const name of ['errors', 'modules', 'console', 'process', 'timers']) load(name);
      for (const name of ['require', 'console', 'process', 'setTimeout', 'setInterval',
        'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate']) void globalThis[name];
      // The Rust side walks it (src/image/slot.rs), making nothing in this
      // heap, so the image does not end with the garbage of a walk.
      return host;
    },
  };
})
