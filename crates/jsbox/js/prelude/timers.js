// Timers and the event loop's macrotask queue, loaded on first use of a timer
// function.
(function (host, core) {
  'use strict';
  const { codedError, describe } = core;

  // Timers live here; the Rust side drives the loop through `takeTask`, draining
  // microtasks after every callback, as Node does.
  const TIMEOUT_MAX = 2147483647;
  const activeTimers = new Map(); // id -> the record of a Timeout
  let immediates = [];
  let nextTimerId = 1;
  let timerSeq = 0;

  function checkCallback(fn) {
    if (typeof fn !== 'function') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
        'The "callback" argument must be of type function. ' + describe(fn));
    }
  }

  // Timer state lives in records kept here, keyed by the Timeout or Immediate
  // a script holds: it cannot rewrite the event loop's bookkeeping (a due
  // time, a callback). Records rather than private fields: a heap image holds
  // this chunk, and every class member would be one more engine object there.
  const records = new WeakMap();
  // A record: { id, fn, args, delay, repeat, ref, due, seq, timer } for a
  // Timeout, { fn, args, ref, cleared } for an Immediate.
  function schedule(record) {
    record.due = host.now() + record.delay;
    record.seq = timerSeq++;
    activeTimers.set(record.id, record);
  }
  function recordOf(handle) {
    const record = records.get(handle);
    if (record === undefined) throw new TypeError('Illegal invocation');
    return record;
  }
  function Timeout() { throw new TypeError('Illegal constructor'); }
  function Immediate() { throw new TypeError('Illegal constructor'); }
  // ref, unref and hasRef, shared by both kinds.
  const refMethods = {
    ref() { recordOf(this).ref = true; return this; },
    unref() { recordOf(this).ref = false; return this; },
    hasRef() { return recordOf(this).ref; },
  };
  Object.assign(Timeout.prototype, refMethods, {
    refresh() {
      const record = recordOf(this);
      if (activeTimers.get(record.id) === record) schedule(record);
      return this;
    },
    close() { activeTimers.delete(recordOf(this).id); return this; },
    [Symbol.toPrimitive]() { return recordOf(this).id; },
  });
  Object.assign(Immediate.prototype, refMethods);
  for (const proto of [Timeout.prototype, Immediate.prototype]) {
    for (const key of Reflect.ownKeys(proto)) {
      if (key !== 'constructor') Object.defineProperty(proto, key, { enumerable: false });
    }
  }
  function newTimeout(fn, delay, args, repeat) {
    delay = Number(delay);
    if (!(delay >= 1 && delay <= TIMEOUT_MAX)) delay = 1;
    const timer = Object.create(Timeout.prototype);
    const record = { id: nextTimerId++, fn, args, delay, repeat, ref: true, due: 0, seq: 0, timer };
    records.set(timer, record);
    schedule(record);
    return timer;
  }
  // Takes a due timer off the queue (or schedules its next run) and returns
  // the call to make.
  function take(record) {
    if (record.repeat) schedule(record); else activeTimers.delete(record.id);
    const { fn, args } = record;
    return () => fn(...args);
  }

  function clearTimer(timer) {
    const record = typeof timer === 'object' && timer !== null ? records.get(timer) : undefined;
    if (record !== undefined && record.timer === timer) activeTimers.delete(record.id);
    else if (typeof timer === 'number' || typeof timer === 'string') activeTimers.delete(Number(timer));
  }

  const timerGlobals = {
    setTimeout(fn, delay, ...args) { checkCallback(fn); return newTimeout(fn, delay, args, false); },
    setInterval(fn, delay, ...args) { checkCallback(fn); return newTimeout(fn, delay, args, true); },
    setImmediate(fn, ...args) {
      checkCallback(fn);
      const immediate = Object.create(Immediate.prototype);
      const record = { fn, args, ref: true, cleared: false };
      records.set(immediate, record);
      immediates.push(record);
      return immediate;
    },
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    clearImmediate(immediate) {
      const record = typeof immediate === 'object' && immediate !== null ? records.get(immediate) : undefined;
      if (record !== undefined && record.timer === undefined) record.cleared = true;
    },
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
          for (const record of activeTimers.values()) if (record.due <= now) dueBatch.push(record);
          dueBatch.sort((a, b) => a.due - b.due || a.seq - b.seq);
        }
        while (dueBatch.length) {
          const record = dueBatch.shift();
          if (activeTimers.get(record.id) === record) return take(record);
        }
        dueBatch = null;
        phase = 'check';
        immediateBatch = immediates;
        immediates = [];
      }
      while (immediateBatch.length) {
        const record = immediateBatch.shift();
        if (!record.cleared) {
          const { fn, args } = record;
          return () => fn(...args);
        }
      }
      phase = 'timers';
      if (immediates.length) continue;
      let next;
      let alive = false;
      for (const record of activeTimers.values()) {
        if (record.ref) alive = true;
        if (next === undefined || record.due < next.due) next = record;
      }
      if (next === undefined || !alive) return null;
      const wait = next.due - host.now();
      if (wait > 0) return wait;
    }
    return 0;
  }


  // The globals are also exports of their own, for the native accessors
  // that load this chunk (src/builtins/lazy_globals.rs).
  return { __proto__: null, ...timerGlobals, globals: timerGlobals, takeTask };
})
