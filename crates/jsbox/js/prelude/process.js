// The `process` global, loaded on first use.
(function (host, core) {
  'use strict';
  const { emit, codedError, describe } = core;

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


  return { process, runTicks };
})
