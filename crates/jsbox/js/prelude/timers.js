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

  // Timer state lives in private fields: a script holding a Timeout cannot
  // rewrite the event loop's bookkeeping (its due time, its callback).
  let timerState;
  let immediateState;
  class Timeout {
    #id; #fn; #args; #delay; #repeat; #ref = true; #due = 0; #seq = 0;
    constructor(fn, delay, args, repeat) {
      delay = Number(delay);
      if (!(delay >= 1 && delay <= TIMEOUT_MAX)) delay = 1;
      this.#id = nextTimerId++;
      this.#fn = fn;
      this.#args = args;
      this.#delay = delay;
      this.#repeat = repeat;
      this.#schedule();
    }
    #schedule() {
      this.#due = host.now() + this.#delay;
      this.#seq = timerSeq++;
      activeTimers.set(this.#id, this);
    }
    ref() { this.#ref = true; return this; }
    unref() { this.#ref = false; return this; }
    hasRef() { return this.#ref; }
    refresh() { if (activeTimers.has(this.#id)) this.#schedule(); return this; }
    close() { activeTimers.delete(this.#id); return this; }
    [Symbol.toPrimitive]() { return this.#id; }
    static {
      // Readers of the private state, kept out of scripts' reach.
      timerState = {
        id: (t) => t.#id,
        due: (t) => t.#due,
        seq: (t) => t.#seq,
        isRef: (t) => t.#ref,
        // Takes the timer off the queue (or schedules its next run) and
        // returns the call to make.
        take(t) {
          if (t.#repeat) t.#schedule(); else activeTimers.delete(t.#id);
          const fn = t.#fn;
          const args = t.#args;
          return () => fn(...args);
        },
      };
    }
  }

  class Immediate {
    #fn; #args; #ref = true; #cleared = false;
    constructor(fn, args) { this.#fn = fn; this.#args = args; }
    ref() { this.#ref = true; return this; }
    unref() { this.#ref = false; return this; }
    hasRef() { return this.#ref; }
    static {
      immediateState = {
        clear: (immediate) => { immediate.#cleared = true; },
        // The call to make, or null for a cleared immediate.
        take(immediate) {
          if (immediate.#cleared) return null;
          const fn = immediate.#fn;
          const args = immediate.#args;
          return () => fn(...args);
        },
      };
    }
  }

  function clearTimer(timer) {
    if (timer instanceof Timeout) activeTimers.delete(timerState.id(timer));
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
    clearImmediate(immediate) { if (immediate instanceof Immediate) immediateState.clear(immediate); },
  };
  // util.promisify(setTimeout) and util.promisify(setImmediate) give the
  // functions of timers/promises, as in Node; made on first read.
  for (const name of ['setTimeout', 'setImmediate']) {
    Object.defineProperty(timerGlobals[name], Symbol.for('nodejs.util.promisify.custom'), {
      get() { return core.load('events').timersPromises[name]; },
      enumerable: true,
      configurable: false,
    });
  }

  // The next macrotask, in Node's phases: the timers due when the timers phase
  // began (by due time, then creation), then the immediates queued before the
  // check phase began. Returns a function to call, the milliseconds to wait for
  // the next timer, or null when nothing keeps the loop alive.
  let phase = 'timers';
  let dueBatch = null;
  let immediateBatch = [];

  function takeTask() {
    for (let step = 0; step < 2; step++) {
      if (phase === 'timers') {
        if (dueBatch === null) {
          const now = host.now();
          dueBatch = [];
          for (const timer of activeTimers.values()) if (timerState.due(timer) <= now) dueBatch.push(timer);
          dueBatch.sort((a, b) => timerState.due(a) - timerState.due(b) || timerState.seq(a) - timerState.seq(b));
        }
        while (dueBatch.length) {
          const timer = dueBatch.shift();
          if (activeTimers.get(timerState.id(timer)) === timer) return timerState.take(timer);
        }
        dueBatch = null;
        phase = 'check';
        immediateBatch = immediates;
        immediates = [];
      }
      while (immediateBatch.length) {
        const call = immediateState.take(immediateBatch.shift());
        if (call !== null) return call;
      }
      phase = 'timers';
      if (immediates.length) continue;
      let next;
      let alive = false;
      for (const timer of activeTimers.values()) {
        if (timerState.isRef(timer)) alive = true;
        if (next === undefined || timerState.due(timer) < timerState.due(next)) next = timer;
      }
      if (next === undefined || !alive) return null;
      const wait = timerState.due(next) - host.now();
      if (wait > 0) return wait;
    }
    return 0;
  }


  // The globals are also exports of their own, for the native accessors
  // that load this chunk (src/builtins/lazy_globals.rs).
  return { __proto__: null, ...timerGlobals, globals: timerGlobals, takeTask };
})
