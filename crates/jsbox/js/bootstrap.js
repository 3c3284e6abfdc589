// jsbox's per-runtime prelude: Node's CommonJS module system and `console`.
// Evaluated once per runtime; its completion value is a function called with the
// native host bindings. It returns the internals that the
// Rust side drives (require from the base directory, run a main module).
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
  const cache = Object.create(null); // require.cache: resolved path -> Module
  const natives = Object.create(null); // native module name -> exports
  let mainModule;

  function dirname(path) {
    const i = path.lastIndexOf('/');
    return i <= 0 ? '/' : path.slice(0, i);
  }

  function nodeModulePaths(dir) {
    const paths = [];
    for (let d = dir; ; d = dirname(d)) {
      if (!d.endsWith('/node_modules')) paths.push((d === '/' ? '' : d) + '/node_modules');
      if (d === '/') break;
    }
    return paths;
  }

  function Module(id, filename, parent) {
    this.id = id;
    this.path = dirname(filename);
    this.exports = {};
    this.filename = filename;
    this.loaded = false;
    this.children = [];
    this.paths = nodeModulePaths(this.path);
    Object.defineProperty(this, 'parent', { value: parent, writable: true, configurable: true });
    if (parent) parent.children.push(this);
  }

  function describe(value) {
    if (value === null || value === undefined) return 'Received ' + value;
    if (typeof value === 'function') return 'Received function ' + (value.name || '<anonymous>');
    if (typeof value === 'object') {
      const name = value.constructor && value.constructor.name;
      return name ? 'Received an instance of ' + name : 'Received ' + util.inspect(value, { depth: -1 });
    }
    let shown = util.inspect(value);
    if (shown.length > 28) shown = shown.slice(0, 25) + '...';
    return 'Received type ' + typeof value + ' (' + shown + ')';
  }

  function codedError(Ctor, code, message) {
    const err = new Ctor(message);
    err.code = code;
    return err;
  }

  function validateId(id) {
    if (typeof id !== 'string') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
        'The "id" argument must be of type string. ' + describe(id));
    }
    if (id === '') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
        "The argument 'id' must be a non-empty string. Received ''");
    }
  }

  function requireStack(parent) {
    const stack = [];
    for (let m = parent; m; m = m.parent) stack.push(m.filename);
    return stack;
  }

  // Resolves `request` for `parent`; returns ['native', name] or ['file', path].
  function resolveFrom(parent, request) {
    const found = host.resolve(request, parent ? parent.path : host.baseDir);
    if (found[0] === 'notfound') {
      const stack = requireStack(parent);
      let message = "Cannot find module '" + request + "'";
      if (stack.length) message += '\nRequire stack:\n- ' + stack.join('\n- ');
      const err = codedError(Error, 'MODULE_NOT_FOUND', message);
      err.requireStack = stack;
      throw err;
    }
    if (found[0] === 'unknown_builtin') {
      throw codedError(Error, 'ERR_UNKNOWN_BUILTIN_MODULE', 'No such built-in module: ' + request);
    }
    return found;
  }

  // Built-in and native modules: loaded once per runtime, outside require.cache.
  function loadNative(name) {
    const existing = natives[name];
    if (existing !== undefined) return existing.exports;
    const module = { id: name, exports: {}, loaded: false };
    natives[name] = module;
    try {
      const script = host.builtinScript(name);
      if (script !== undefined) {
        script.call(module.exports, module.exports, builtinRequire, module, internal);
      } else {
        host.loadNative(name, module.exports);
      }
    } catch (err) {
      delete natives[name];
      throw err;
    }
    if (host.logging) logExports(name, module);
    module.loaded = true;
    return module.exports;
  }

  // With call logging on, every exported function of a native or built-in module
  // (and of a plain object it exports, such as fs.promises) logs its calls.
  // Classes are left alone so `new` and `extends` keep working.
  function isClassLike(fn) {
    const proto = fn.prototype;
    return proto !== undefined && Object.getOwnPropertyNames(proto).length > 1;
  }

  function logged(moduleName, name, fn) {
    const wrapper = function (...args) {
      const started = host.now();
      let result;
      try {
        result = new.target ? Reflect.construct(fn, args, new.target) : fn.apply(this, args);
      } catch (err) {
        const text = err instanceof Error ? err.name + ': ' + err.message : String(err);
        host.logCall(moduleName, name, args, undefined, text, started);
        throw err;
      }
      host.logCall(moduleName, name, args, result, undefined, started);
      return result;
    };
    Object.defineProperty(wrapper, 'name', { value: fn.name });
    Object.defineProperty(wrapper, 'length', { value: fn.length });
    return wrapper;
  }

  // A logging copy of `object`: the module's own code keeps calling its
  // unwrapped functions, so only calls made by scripts are logged.
  function wrapObject(moduleName, prefix, object, depth, copies) {
    const copy = Object.create(Object.getPrototypeOf(object));
    copies.set(object, copy);
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (copies.has(value)) {
        copy[key] = copies.get(value);
      } else if (typeof value === 'function' && !isClassLike(value)) {
        copy[key] = logged(moduleName, prefix + key, value);
      } else if (depth > 0 && value !== null && typeof value === 'object' &&
                 Object.getPrototypeOf(value) === Object.prototype) {
        copy[key] = wrapObject(moduleName, prefix + key + '.', value, depth - 1, copies);
      } else {
        copy[key] = value;
      }
    }
    return copy;
  }

  function logExports(moduleName, module) {
    const exports = module.exports;
    if (typeof exports === 'function') {
      if (!isClassLike(exports)) module.exports = logged(moduleName, moduleName, exports);
      return;
    }
    if (exports !== null && typeof exports === 'object' && exports !== process) {
      module.exports = wrapObject(moduleName, '', exports, 1, new Map());
    }
  }

  function stripPrelude(source) {
    if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
    if (source.startsWith('#!')) {
      const eol = source.indexOf('\n');
      source = eol === -1 ? '' : source.slice(eol);
    }
    return source;
  }

  function compileModule(module) {
    const filename = module.filename;
    const source = stripPrelude(host.read(filename));
    if (filename.endsWith('.json')) {
      try {
        module.exports = JSON.parse(source);
      } catch (err) {
        err.message = filename + ': ' + err.message;
        throw err;
      }
      return;
    }
    // The wrapper shares the file's first line so line numbers stay the file's
    // own (columns on line 1 are shifted by the wrapper's length, as in Node <= 11).
    const wrapper = host.compile(
      '(function (exports, require, module, __filename, __dirname) { ' + source + '\n})',
      filename);
    const exports = module.exports;
    wrapper.call(exports, exports, makeRequire(module), module, filename, module.path);
  }

  // Loads (or returns from cache) the module at `filename`. A module whose body
  // throws is removed from the cache, like Node does.
  function loadFile(filename, parent, isMain) {
    const cached = cache[filename];
    if (cached !== undefined) {
      if (parent && !parent.children.includes(cached)) parent.children.push(cached);
      return cached;
    }
    const module = new Module(isMain ? '.' : filename, filename, parent);
    if (isMain) mainModule = module;
    cache[filename] = module;
    let ok = false;
    try {
      compileModule(module);
      ok = true;
    } finally {
      if (!ok) {
        delete cache[filename];
        if (parent) {
          const i = parent.children.indexOf(module);
          if (i !== -1) parent.children.splice(i, 1);
        }
      }
    }
    module.loaded = true;
    return module;
  }

  function requireFrom(parent, request) {
    validateId(request);
    const found = resolveFrom(parent, request);
    if (found[0] === 'native') return loadNative(found[1]);
    return loadFile(found[1], parent, false).exports;
  }

  function makeRequire(module) {
    const require = function require(id) {
      return requireFrom(module, id);
    };
    require.resolve = function resolve(request) {
      validateId(request);
      const found = resolveFrom(module, request);
      return found[0] === 'native' ? request : found[1];
    };
    require.resolve.paths = function paths(request) {
      validateId(request);
      if (host.isNative(request) || request.startsWith('node:')) return null;
      return nodeModulePaths(module ? module.path : host.baseDir);
    };
    require.cache = cache;
    Object.defineProperty(require, 'main', {
      get() { return mainModule; }, enumerable: true, configurable: true,
    });
    return require;
  }

  // ---- console -----------------------------------------------------------
  const counts = new Map();
  const timers = new Map();
  let groupIndent = '';

  function emit(toStderr, text) {
    if (groupIndent) text = groupIndent + text.split('\n').join('\n' + groupIndent);
    host.print(toStderr, text);
  }

  function formatDuration(ms) {
    if (ms >= 60000) return (ms / 60000).toFixed(3) + 'min';
    if (ms >= 1000) return (ms / 1000).toFixed(3) + 's';
    return ms.toFixed(3) + 'ms';
  }

  // Drops the frames of this prelude from a stack string.
  function userFrames(stack) {
    return String(stack || '').split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('jsbox:bootstrap'))
      .join('\n');
  }

  const console = {
    log(...args) { emit(false, util.format(...args)); },
    info(...args) { emit(false, util.format(...args)); },
    debug(...args) { emit(false, util.format(...args)); },
    warn(...args) { emit(true, util.format(...args)); },
    error(...args) { emit(true, util.format(...args)); },
    dir(value, options) { emit(false, util.inspect(value, Object.assign({ customInspect: false }, options))); },
    trace(...args) {
      const frames = userFrames(new Error().stack);
      emit(true, 'Trace' + (args.length ? ': ' + util.format(...args) : '') + (frames ? '\n' + frames : ''));
    },
    assert(condition, ...args) {
      if (condition) return;
      if (args.length === 0) emit(true, 'Assertion failed');
      else if (typeof args[0] === 'string') emit(true, 'Assertion failed: ' + util.format(...args));
      else emit(true, 'Assertion failed ' + util.format(...args));
    },
    count(label = 'default') {
      label = String(label);
      const n = (counts.get(label) || 0) + 1;
      counts.set(label, n);
      emit(false, label + ': ' + n);
    },
    countReset(label = 'default') {
      label = String(label);
      if (counts.has(label)) counts.set(label, 0);
      else emit(true, "Count for '" + label + "' does not exist");
    },
    time(label = 'default') {
      label = String(label);
      if (timers.has(label)) {
        emit(true, "Warning: Label '" + label + "' already exists for console.time()");
        return;
      }
      timers.set(label, host.now());
    },
    timeEnd(label = 'default') {
      label = String(label);
      const start = timers.get(label);
      if (start === undefined) {
        emit(true, "Warning: No such label '" + label + "' for console.timeEnd()");
        return;
      }
      timers.delete(label);
      emit(false, label + ': ' + formatDuration(host.now() - start));
    },
    timeLog(label = 'default', ...data) {
      label = String(label);
      const start = timers.get(label);
      if (start === undefined) {
        emit(true, "Warning: No such label '" + label + "' for console.timeLog()");
        return;
      }
      const extra = data.length ? ' ' + util.format(...data) : '';
      emit(false, label + ': ' + formatDuration(host.now() - start) + extra);
    },
    group(...label) {
      if (label.length) emit(false, util.format(...label));
      groupIndent += '  ';
    },
    groupEnd() {
      groupIndent = groupIndent.slice(2);
    },
    table(data) { emit(false, util.format(data)); },
  };
  console.groupCollapsed = console.group;

  // ---- process -------------------------------------------------------------
  // process.nextTick callbacks run before promise jobs, as in Node: the Rust side
  // calls runTicks before draining the engine's job queue.
  let ticks = [];
  function runTicks() {
    while (ticks.length) {
      const batch = ticks;
      ticks = [];
      for (let i = 0; i < batch.length; i++) {
        try {
          batch[i]();
        } catch (err) {
          ticks = batch.slice(i + 1).concat(ticks);
          if (ticks.length) host.ticksQueued();
          throw err;
        }
      }
    }
  }

  const process = {
    title: 'jsbox',
    version: host.version,
    versions: { jsbox: host.version.slice(1), quickjs: host.engineVersion },
    platform: host.platform,
    arch: host.arch,
    pid: host.pid,
    argv: host.argv(),
    execArgv: [],
    exitCode: undefined,
    cwd() { return host.cwd(); },
    exit(code) {
      if (code === undefined) code = process.exitCode;
      host.exit(code === undefined ? 0 : Number(code) | 0);
    },
    nextTick(fn, ...args) {
      if (typeof fn !== 'function') {
        throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
          'The "callback" argument must be of type function. ' + describe(fn));
      }
      ticks.push(() => fn(...args));
      if (ticks.length === 1) host.ticksQueued();
    },
    hrtime: Object.assign(function hrtime(previous) {
      const ns = host.hrtimeNs();
      let sec = Math.floor(ns / 1e9);
      let nsec = ns - sec * 1e9;
      if (previous) {
        sec -= previous[0];
        nsec -= previous[1];
        if (nsec < 0) { sec -= 1; nsec += 1e9; }
      }
      return [sec, nsec];
    }, {
      bigint() { return BigInt(Math.floor(host.hrtimeNs())); },
    }),
    memoryUsage() { return { heapUsed: host.memoryUsed() }; },
    uptime() { return host.now() / 1000; },
    emitWarning(warning) { emit(true, '(jsbox) Warning: ' + (warning && warning.message || warning)); },
  };
  let env;
  Object.defineProperty(process, 'env', {
    get() { return env === undefined ? (env = host.env()) : env; },
    set(value) { env = value; },
    enumerable: true,
    configurable: true,
  });

  // ---- timers and the event loop ---------------------------------------------
  // Timers live here; the Rust side drives the loop through `takeTask`, draining
  // microtasks after every callback, as Node does.
  const TIMEOUT_MAX = 2147483647;
  const activeTimers = new Map(); // id -> Timeout
  let immediates = [];
  let nextTimerId = 1;
  let timerSeq = 0;

  function checkCallback(fn) {
    if (typeof fn !== 'function') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
        'The "callback" argument must be of type function. ' + describe(fn));
    }
  }

  class Timeout {
    constructor(fn, delay, args, repeat) {
      delay = Number(delay);
      if (!(delay >= 1 && delay <= TIMEOUT_MAX)) delay = 1;
      this._id = nextTimerId++;
      this._fn = fn;
      this._args = args;
      this._delay = delay;
      this._repeat = repeat;
      this._ref = true;
      this._schedule();
    }
    _schedule() {
      this._due = host.now() + this._delay;
      this._seq = timerSeq++;
      activeTimers.set(this._id, this);
    }
    ref() { this._ref = true; return this; }
    unref() { this._ref = false; return this; }
    hasRef() { return this._ref; }
    refresh() { if (activeTimers.has(this._id)) this._schedule(); return this; }
    close() { activeTimers.delete(this._id); return this; }
    [Symbol.toPrimitive]() { return this._id; }
  }

  class Immediate {
    constructor(fn, args) { this._fn = fn; this._args = args; this._cleared = false; this._ref = true; }
    ref() { this._ref = true; return this; }
    unref() { this._ref = false; return this; }
    hasRef() { return this._ref; }
  }

  function clearTimer(timer) {
    if (timer instanceof Timeout) activeTimers.delete(timer._id);
    else if (typeof timer === 'number' || typeof timer === 'string') activeTimers.delete(Number(timer));
  }

  const timerGlobals = {
    setTimeout(fn, delay, ...args) { checkCallback(fn); return new Timeout(fn, delay, args, false); },
    setInterval(fn, delay, ...args) { checkCallback(fn); return new Timeout(fn, delay, args, true); },
    setImmediate(fn, ...args) {
      checkCallback(fn);
      const immediate = new Immediate(fn, args);
      immediates.push(immediate);
      return immediate;
    },
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    clearImmediate(immediate) { if (immediate instanceof Immediate) immediate._cleared = true; },
  };

  // The next macrotask, in Node's phases: the timers due when the timers phase
  // began (by due time, then creation), then the immediates queued before the
  // check phase began. Returns a function to call, the milliseconds to wait for
  // the next timer, or null when nothing keeps the loop alive.
  let phase = 'timers';
  let dueBatch = null;
  let immediateBatch = [];

  function runTimer(timer) {
    if (timer._repeat) timer._schedule(); else activeTimers.delete(timer._id);
    return () => timer._fn(...timer._args);
  }

  function takeTask() {
    for (let step = 0; step < 2; step++) {
      if (phase === 'timers') {
        if (dueBatch === null) {
          const now = host.now();
          dueBatch = [];
          for (const timer of activeTimers.values()) if (timer._due <= now) dueBatch.push(timer);
          dueBatch.sort((a, b) => a._due - b._due || a._seq - b._seq);
        }
        while (dueBatch.length) {
          const timer = dueBatch.shift();
          if (activeTimers.get(timer._id) === timer) return runTimer(timer);
        }
        dueBatch = null;
        phase = 'check';
        immediateBatch = immediates;
        immediates = [];
      }
      while (immediateBatch.length) {
        const immediate = immediateBatch.shift();
        if (!immediate._cleared) return () => immediate._fn(...immediate._args);
      }
      phase = 'timers';
      if (immediates.length) continue;
      let next;
      let alive = false;
      for (const timer of activeTimers.values()) {
        if (timer._ref) alive = true;
        if (next === undefined || timer._due < next._due) next = timer;
      }
      if (next === undefined || !alive) return null;
      const wait = next._due - host.now();
      if (wait > 0) return wait;
    }
    return 0;
  }

  // Unhandled promise rejections, reported by the engine's rejection tracker.
  const rejections = new Map(); // promise -> reason
  function trackRejection(promise, reason, handled) {
    if (handled) rejections.delete(promise);
    else rejections.set(promise, reason);
  }
  function takeUnhandledRejection() {
    for (const [promise, reason] of rejections) {
      rejections.delete(promise);
      return { reason };
    }
    return undefined;
  }

  // What built-in modules get besides require: shared helpers and their native
  // bindings. Scripts never see this object.
  const internal = {
    get format() { return util.format; },
    get formatWithOptions() { return util.formatWithOptions; },
    get inspect() { return util.inspect; },
    describe,
    cwd: () => host.cwd(),
    warn: (message) => emit(true, '(jsbox) ' + message),
    binding: (name) => host.binding(name),
    process,
    timers: timerGlobals,
  };
  function builtinRequire(id) {
    validateId(id);
    const name = id.startsWith('node:') ? id.slice(5) : id;
    if (!host.isNative(name)) throw codedError(Error, 'ERR_UNKNOWN_BUILTIN_MODULE', 'No such built-in module: ' + id);
    return loadNative(name);
  }

  const baseModule = {
    path: host.baseDir,
    filename: (host.baseDir === '/' ? '' : host.baseDir) + '/[eval]',
    children: [],
    parent: undefined,
  };

  return {
    util,
    console,
    process,
    timers: timerGlobals,
    takeTask,
    runTicks,
    trackRejection,
    takeUnhandledRejection,
    require: makeRequire(baseModule),
    requireFromBase(request) {
      return requireFrom(baseModule, request);
    },
    runMain(filename) {
      validateId(filename);
      const found = resolveFrom(null, filename);
      if (found[0] === 'native') return loadNative(found[1]);
      return loadFile(found[1], null, true).exports;
    },
  };
})
