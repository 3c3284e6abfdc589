// The `process` global, loaded on first use. Its streams (stdout, stderr,
// stdin) are built the first time they are read.
(function (host, core) {
  'use strict';
  const { emit, codedError, describe } = core;

  // The Node version jsbox follows: process.version, process.versions.node.
  const NODE_VERSION = '20.20.2';

  // --- events ------------------------------------------------------------------
  // process is an event emitter (on, once, off, emit, ...) with Node's storage
  // (`_events`). The methods and process.emitWarning live in the
  // `process_events` chunk, loaded the first time one is called: a runtime
  // (and a heap image) that never listens to process carries only these stubs.
  const EMITTER_METHODS = ['on', 'addListener', 'prependListener', 'once', 'prependOnceListener',
    'off', 'removeListener', 'removeAllListeners', 'emit', 'listeners', 'rawListeners',
    'listenerCount', 'eventNames', 'setMaxListeners', 'getMaxListeners'];
  const events = () => core.load('process_events');
  const hasListeners = (name) => {
    const list = process._events && process._events[name];
    return list !== undefined && list.length > 0;
  };

  // Errors that reach the top of a callback: true when an 'uncaughtException'
  // listener took them (the program goes on), false when they end it.
  // A listener that throws ends the program with exit code 7, as in Node.
  let handlerFailed = false;
  function handleUncaught(err, origin) {
    if (!hasListeners('uncaughtException')) return false;
    try {
      process.emit('uncaughtExceptionMonitor', err, origin);
      process.emit('uncaughtException', err, origin);
    } catch (thrown) {
      handlerFailed = true;
      throw thrown;
    }
    return true;
  }

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
          if (handleUncaught(err, 'uncaughtException')) continue;
          ticks = batch.slice(i + 1).concat(ticks);
          if (ticks.length) host.ticksQueued();
          throw err;
        }
      }
    }
  }

  // process.stdout, stderr and stdin: made on first use, from the `stdio`
  // chunk (loaded then, so heap images and fresh runtimes don't carry it).
  let stdout, stderr, stdin;
  // The `exec` binding, for process.kill, made on first use.
  let execBinding;

  // --- the object ------------------------------------------------------------

  let exiting = false;
  const process = {
    title: 'jsbox',
    version: 'v' + NODE_VERSION,
    versions: {
      node: NODE_VERSION,
      jsbox: host.version.slice(1),
      quickjs: host.engineVersion,
    },
    release: { name: 'node', lts: 'Iron' },
    platform: host.platform,
    arch: host.arch,
    pid: host.pid,
    ppid: 0,
    argv: host.argv(),
    execArgv: [],
    exitCode: undefined,
    cwd() { return host.cwd(); },
    exit(code) {
      if (code !== undefined) process.exitCode = code;
      code = process.exitCode === undefined ? 0 : Number(process.exitCode) | 0;
      if (!exiting) {
        exiting = true;
        process.emit('exit', code);
        if (process.exitCode !== undefined) code = Number(process.exitCode) | 0;
      }
      host.exit(code);
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
    umask(mask) {
      if (mask === undefined) return host.umask();
      if (typeof mask === 'string') {
        if (!/^[0-7]+$/.test(mask)) {
          throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
            "The argument 'mask' must be a 32-bit unsigned integer or an octal string. Received '" + mask + "'");
        }
        mask = parseInt(mask, 8);
      }
      if (typeof mask !== 'number') {
        throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
          'The "mask" argument must be of type number or string. ' + describe(mask));
      }
      return host.umask(mask);
    },
    kill(pid, signal) {
      if (typeof pid !== 'number' || pid !== Math.trunc(pid)) {
        throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
          'The "pid" argument must be of type number. ' + describe(pid));
      }
      // Made once: a binding lives as long as the runtime on the heap-image path.
      if (execBinding === undefined) execBinding = core.binding('exec');
      return execBinding.kill(pid, signal === undefined ? 'SIGTERM' : signal);
    },
    emitWarning(...args) { return events().emitWarning(...args); },
    get execPath() { return host.execPath(); },
    get stdout() { return stdout || (stdout = new (core.load('stdio').WriteStream)(1)); },
    get stderr() { return stderr || (stderr = new (core.load('stdio').WriteStream)(2)); },
    get stdin() { return stdin || (stdin = new (core.load('stdio').ReadStream)(0)); },
  };
  for (const name of EMITTER_METHODS) {
    Object.defineProperty(process, name, {
      value: function (...args) { return Reflect.apply(events().emitterMethods[name], this, args); },
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  let env;
  Object.defineProperty(process, 'env', {
    get() { return env === undefined ? (env = host.env()) : env; },
    set(value) { env = value; },
    enumerable: true,
    configurable: true,
  });

  // What the Rust side and the prelude core call (see core.js `processHook`).
  let tasksRun = 0;
  function hook(name, value) {
    switch (name) {
      // A macrotask, guarded: an error an 'uncaughtException' listener takes
      // does not end the program.
      case 'task':
        tasksRun++;
        if (!hasListeners('uncaughtException')) return value;
        return function task() {
          try {
            value();
          } catch (err) {
            if (!handleUncaught(err, 'uncaughtException')) throw err;
          }
        };
      case 'tasksRun':
        return tasksRun;
      case 'uncaught':
        return handleUncaught(value, 'uncaughtException');
      // A rejection nobody handled: true when a listener took it.
      case 'rejection':
        if (hasListeners('unhandledRejection')) {
          process.emit('unhandledRejection', value.reason, value.promise);
          return true;
        }
        return handleUncaught(value.reason, 'unhandledRejection');
      case 'beforeExit':
        if (!hasListeners('beforeExit')) return false;
        process.emit('beforeExit', process.exitCode === undefined ? 0 : Number(process.exitCode) | 0);
        return true;
      // The program ends with `value` (undefined: its exit code): runs the
      // 'exit' listeners once and returns the exit code.
      case 'exit': {
        if (!exiting && value !== undefined && value !== 0) process.exitCode = handlerFailed ? 7 : value;
        let code = process.exitCode === undefined ? 0 : Number(process.exitCode) | 0;
        if (!exiting) {
          exiting = true;
          process.emit('exit', code);
          if (process.exitCode !== undefined) code = Number(process.exitCode) | 0;
        }
        return code;
      }
      default:
        return undefined;
    }
  }

  return {
    process, runTicks, hook,
    get emitterMethods() { return events().emitterMethods; },
    get WriteStream() { return core.load('stdio').WriteStream; },
    get ReadStream() { return core.load('stdio').ReadStream; },
    isatty: (fd) => host.isatty(fd),
    // Whether the runtime's stdio is the process's (the console sink says so):
    // child_process then lets children inherit it.
    ownsStdio: () => host.ownsStdio(),
  };
})
