// jsbox's per-runtime prelude. Evaluated in every fresh runtime, so it stays
// small: the module system, console, process and timers are separate chunks
// (compiled to bytecode once per process), loaded the first time a script touches
// `require`, `console`, `process` or a timer function. Its completion value is a
// function called with the native host bindings; it returns the internals that
// the Rust side drives.
(function (host) {
  'use strict';

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
  // A switch, not a table: nothing to build when a runtime is made.
  function isChunk(name) {
    switch (name) {
      case 'errors': case 'modules': case 'console': case 'process': case 'timers': case 'repl':
      case 'buffer': case 'encoding': case 'clone': case 'crypto': case 'url': case 'events':
      case 'stdio': case 'process_events':
        return true;
      default:
        return false;
    }
  }
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
    if (!isChunk(name)) throw new TypeError('no prelude chunk named ' + name);
    if (!extended.base) {
      extend('base');
      helpers();
    }
    if (!extended.process && (name === 'process' || name === 'stdio' || name === 'process_events')) extend('process');
    return (loaded[name] = host.loadChunk(name)(host, core));
  }
  // A native binding (src/builtins/), made on each call: a chunk asks once.
  function binding(name) {
    return host.binding(name);
  }
  // Built-in, native and host modules loaded in this runtime: name -> module
  // record ({ id, exports, loaded }), shared with the module system.
  const natives = Object.create(null);
  // What every chunk gets (for the `entry` chunk also what chunks have
  // loaded, and how a main module takes the global `require` away); the
  // shared helpers (util, describe, codedError, emit, indent) join it when
  // the first chunk loads.
  const core = { __proto__: null, load, binding, primordials, natives, loaded, removeGlobalRequire };
  function helpers() {
    if (core.util === undefined) {
      const made = host.loadChunk('helpers')(host, core);
      const keys = primordials.objectKeys(made);
      for (let i = 0; i < keys.length; i++) core[keys[i]] = made[keys[i]];
    }
    return core;
  }
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

  // The rest of what Rust drives (js/prelude/entry.js), read on first use.
  let entryChunk;
  let stackHookPair;

  // What the Rust side drives: the event loop, rejections, chunks.
  return {
    // util.format/inspect, for the Rust side (errors, the REPL).
    get util() { return helpers().util; },
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
    // TextEncoder, TextDecoder, structuredClone, Buffer: globals whose accessors are
    // native (src/builtins/lazy_globals.rs), loading their chunk on first use.
    loadChunk: load,
    // The global `require`, made on its first read (js/prelude/global_require.js).
    // It needs no host binding beyond the first ones: no `extend` here.
    makeGlobalRequire(hostModule) {
      return (globalRequire = host.loadChunk('global_require')(host, core)(hostModule));
    },
    // The state behind Error.prepareStackTrace (js/prelude/stack_hook.js),
    // made on the native accessor's first use (src/builtins/stack_hook.rs).
    stackHook(getHook, setHook, ErrorCtor) {
      return stackHookPair ||
        (stackHookPair = host.loadChunk('stack_hook')(getHook, setHook, ErrorCtor, primordials));
    },
    // The rest (js/prelude/entry.js), read the first time Rust needs it.
    more() { return entryChunk || (entryChunk = host.loadChunk('entry')(host, core)); },
  };
})
