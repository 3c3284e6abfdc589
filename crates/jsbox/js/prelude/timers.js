// Timers and the event loop's macrotask queue, loaded on first use of a timer
// function.
(function (host, core) {
  'use strict';
  const { codedError, describe } = core;

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


  return { globals: timerGlobals, takeTask };
})
