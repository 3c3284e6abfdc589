// jsbox's per-runtime prelude. Evaluated in every fresh runtime, so it stays
// small: the module system, console, process and timers are separate chunks
// (compiled to bytecode once per process), loaded the first time a script touches
// `require`, `console`, `process` or a timer function. Its completion value is a
// function called with the native host bindings; it returns the internals that
// the Rust side drives.
(function (host) {
  'use strict';

  // util.format/inspect are loaded on first use: many runtimes never print.
  let inspectImpl;
  function loadInspect() {
    return inspectImpl || (inspectImpl = host.loadInspect()());
  }
  const util = {
    get format() { return loadInspect().format; },
    get formatWithOptions() { return loadInspect().formatWithOptions; },
    get inspect() { return loadInspect().inspect; },
  };

  // "Received ..." as in Node's ERR_INVALID_ARG_TYPE messages.
  function describe(value) {
    return 'Received ' + load('errors').determineSpecificType(value);
  }

  function codedError(Ctor, code, message) {
    const err = new Ctor(message);
    err.code = code;
    return err;
  }

  // console output, indented by console.group.
  let groupIndent = '';
  function emit(toStderr, text) {
    if (groupIndent) text = groupIndent + text.split('\n').join('\n' + groupIndent);
    host.print(toStderr, text);
  }
  function indent(by) {
    groupIndent = by > 0 ? groupIndent + ' '.repeat(by) : groupIndent.slice(-by);
  }

  // Built-ins captured now, before any script runs: code that hands internal
  // objects to a function must not call one a script may have replaced.
  const primordials = {
    __proto__: null,
    reflectApply: Reflect.apply,
    reflectConstruct: Reflect.construct,
    objectKeys: Object.keys,
    objectCreate: Object.create,
    getPrototypeOf: Object.getPrototypeOf,
    getOwnPropertyNames: Object.getOwnPropertyNames,
    getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
    deleteProperty: Reflect.deleteProperty,
    defineProperty: Object.defineProperty,
    setPrototypeOf: Object.setPrototypeOf,
    startsWith: String.prototype.startsWith,
    promiseThen: Promise.prototype.then,
    ObjectPrototype: Object.prototype,
  };

  const loaded = Object.create(null);
  // The chunks that take (host, core): no other chunk is ever run that way.
  const chunkNames = { __proto__: null, errors: true, modules: true, console: true, process: true, timers: true, repl: true, buffer: true, encoding: true, clone: true, crypto: true, url: true, events: true, stdio: true, process_events: true };
  // The host bindings beyond the few above are made when the first chunk
  // loads, and those only `process` and its parts use when one of them does.
  const extended = { __proto__: null, base: false, process: false };
  function extend(group) {
    extended[group] = true;
    const extension = host.extend(group);
    const keys = primordials.objectKeys(extension);
    for (let i = 0; i < keys.length; i++) host[keys[i]] = extension[keys[i]];
  }
  function load(name) {
    if (loaded[name]) return loaded[name];
    if (chunkNames[name] !== true) throw new TypeError('no prelude chunk named ' + name);
    if (!extended.base) extend('base');
    if (!extended.process && (name === 'process' || name === 'stdio' || name === 'process_events')) extend('process');
    return (loaded[name] = host.loadChunk(name)(host, core));
  }
  // Native bindings made while a heap image was built (stateless ones only),
  // handed out instead of making them again.
  const bindings = Object.create(null);
  function binding(name) {
    return bindings[name] || host.binding(name);
  }
  // Built-in, native and host modules loaded in this runtime: name -> module
  // record ({ id, exports, loaded }), shared with the module system.
  const natives = Object.create(null);
  const core = { __proto__: null, util, describe, codedError, emit, indent, load, binding, primordials, natives };
  // The host object has no prototype either (see internal in modules.js).
  Object.setPrototypeOf(host, null);

  // `require`, `console`, `process` and the timer functions are native
  // accessors on the global object (src/builtins/lazy_globals.rs) that load
  // their chunk on first access and then become plain writable data
  // properties, as in Node. A global `require` is what Node gives code run
  // with `-e` and in its REPL (Runtime::eval, Runtime::run, the REPL). A file
  // run as the main module has only its wrapper's parameter: runMain removes
  // the global first, unless something else than jsbox's own (say a preload
  // script) took its place.
  const requireGetter = Object.getOwnPropertyDescriptor(globalThis, 'require').get;
  let globalRequire;
  function removeGlobalRequire() {
    const desc = primordials.getOwnPropertyDescriptor(globalThis, 'require');
    if (desc === undefined) return;
    primordials.setPrototypeOf(desc, null);
    const ours = desc.get === requireGetter ||
      (globalRequire !== undefined && desc.value === globalRequire);
    if (ours && desc.configurable) primordials.deleteProperty(globalThis, 'require');
  }
  // Error.prepareStackTrace hands scripts CallSite objects whose getFunction()
  // returns the function of every frame, jsbox's own included: hide those (and
  // native ones), so no internal function can be reached through a stack
  // trace. The CallSite prototype is only reachable through a call site, so
  // it is patched the first time a script sets prepareStackTrace (QuickJS
  // keeps the hook behind this accessor; a property put in its place is not
  // read), and spawning a runtime costs nothing for it.
  // QuickJS-ng also leaks one reference per error made while the hook holds
  // an object that is not a function, and the leak aborts the process when
  // the runtime is freed: only functions reach the engine; any other value
  // is kept here (and read back, as in V8, which ignores it too).
  const stackHook = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  if (stackHook && typeof stackHook.set === 'function' && typeof stackHook.get === 'function') {
    const { get: getHook, set: setHook } = stackHook;
    let patched = false;
    let other;
    let holdsOther = false;
    stackHook.set = function prepareStackTrace(hook) {
      if (!patched) {
        patched = true;
        host.loadChunk('callsites')(getHook, setHook, primordials);
      }
      holdsOther = typeof hook !== 'function' && hook !== undefined && hook !== null;
      other = holdsOther ? hook : undefined;
      primordials.reflectApply(setHook, Error, [holdsOther ? undefined : hook]);
    };
    stackHook.get = function prepareStackTrace() {
      return holdsOther ? other : primordials.reflectApply(getHook, Error, []);
    };
    Object.defineProperty(Error, 'prepareStackTrace', stackHook);
  }

  // QuickJS-ng frees the current element twice when its time-limit interrupt
  // lands between two iterations of Array.prototype.find and its three
  // siblings: a runtime with a time limit gets replacements (js/prelude/
  // arrays.js) before any script runs. Without a limit the interrupt never
  // fires, and the engine's own versions are kept.
  if (host.timed) host.loadChunk('arrays')();

  // Unhandled promise rejections, reported by the engine's rejection tracker,
  // oldest first. The tracker runs inside the engine's promise machinery, so
  // it calls no method a script could replace: plain loops over a list
  // without a prototype.
  const rejections = Object.setPrototypeOf([], null);
  // Removes and returns the entry at `index`.
  function removeRejection(index) {
    const entry = rejections[index];
    for (let j = index + 1; j < rejections.length; j++) rejections[j - 1] = rejections[j];
    rejections.length--;
    return entry;
  }
  function trackRejection(promise, reason, handled) {
    for (let i = 0; i < rejections.length; i++) {
      if (rejections[i].promise === promise) {
        removeRejection(i);
        break;
      }
    }
    if (!handled) rejections[rejections.length] = { __proto__: null, promise, reason };
  }
  // The oldest rejection still unhandled, skipping those a process
  // 'unhandledRejection' (or 'uncaughtException') listener takes.
  function takeUnhandledRejection() {
    while (rejections.length !== 0) {
      const entry = removeRejection(0);
      if (loaded.process && loaded.process.hook('rejection', entry)) continue;
      return { reason: entry.reason };
    }
    return undefined;
  }

  // What built-in modules get besides require: shared helpers and their native
  return {
    util,
    takeTask() {
      const task = loaded.timers ? loaded.timers.takeTask() : null;
      // With process loaded, an error a callback throws may go to its
      // 'uncaughtException' listeners (js/prelude/process.js).
      return typeof task === 'function' && loaded.process ? loaded.process.hook('task', task) : task;
    },
    // process events from Rust ('beforeExit', 'exit', tasksRun); undefined
    // when the process global was never touched (no listener can exist).
    processHook(name, value) { return loaded.process ? loaded.process.hook(name, value) : undefined; },
    runTicks() { if (loaded.process) loaded.process.runTicks(); },
    trackRejection,
    takeUnhandledRejection,
    requireFromBase(request) { return load('modules').requireFromBase(request); },
    requireFromRust(request) { return load('modules').requireFromRust(request); },
    // TextEncoder, TextDecoder, structuredClone, Buffer: globals whose accessors are
    // native (src/builtins/lazy_globals.rs), loading their chunk on first use.
    loadChunk: load,
    // The global `require`, made on its first read (js/prelude/global_require.js).
    // It needs no host binding beyond the first ones: no `extend` here.
    makeGlobalRequire(hostModule) {
      return (globalRequire = host.loadChunk('global_require')(host, core)(hostModule));
    },
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
      removeGlobalRequire();
      return load('modules').importEntry(filename);
    },
    // Heap images: load now everything a runtime would load on first use, and
    // return the objects that hold every native function made, so the image
    // can keep them alive.
    warm(bindingNames) {
      for (const name of ['errors', 'modules', 'console', 'process', 'timers']) load(name);
      loadInspect();
      for (const name of bindingNames) bindings[name] = host.binding(name);
      for (const name of ['require', 'console', 'process', 'setTimeout', 'setInterval',
        'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate']) void globalThis[name];
      // The roots of every native function made: the Rust side walks them
      // (src/image/slot.rs), making nothing in this heap, so the image does
      // not end with the garbage of a walk.
      return [host, bindings];
    },
    runMain(filename) {
      removeGlobalRequire();
      try {
        return load('modules').runMain(filename);
      } catch (err) {
        // An 'uncaughtException' listener takes an error of the main module too.
        if (loaded.process && loaded.process.hook('uncaught', err)) return undefined;
        throw err;
      }
    },
  };
})
