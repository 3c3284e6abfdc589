// Timers and the event loop's macrotask queue, loaded on first use of a timer
// function.
(function (host, core) {
  'use strict';
  const { codedError, describe } = core;

  // Timers live here; the Rust side drives the loop through `takeTask`, draining
  // microtasks after every callback, as Node does. The bookkeeping calls no
  // method a script could replace (a Map's or an array's, say): containers
  // without a prototype, indexed by hand, so no script reaches a record.
  const { setPrototypeOf } = core.primordials;
  const list = () => setPrototypeOf([], null);
  const TIMEOUT_MAX = 2147483647;
  const activeTimers = setPrototypeOf({}, null); // id -> the record of a Timeout
  let immediates = list();
  let nextTimerId = 1;
  let timerSeq = 0;

  function checkCallback(fn) {
    if (typeof fn !== 'function') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
        'The "callback" argument must be of type function. ' + describe(fn));
    }
  }

  // A timer's record ({ id, fn, args, delay, repeat, ref, due, seq, cleared }
  // for a Timeout, { fn, args, ref, cleared } for an Immediate) lives in the one
  // private field of the handle a script holds; only this chunk can make a
  // handle (the constructors want a token no script has).
  const token = setPrototypeOf({}, null);
  let readRecord;
  class TimerHandle {
    #record;
    constructor(record, key) {
      if (key !== token) throw new TypeError('Illegal constructor');
      this.#record = record;
    }
    ref() { recordOf(this).ref = true; return this; }
    unref() { recordOf(this).ref = false; return this; }
    hasRef() { return recordOf(this).ref; }
    static {
      readRecord = (handle) =>
        (typeof handle === 'object' && handle !== null && #record in handle ? handle.#record : undefined);
    }
  }
  function recordOf(handle) {
    const record = readRecord(handle);
    if (record === undefined) throw new TypeError('Illegal invocation');
    return record;
  }
  // As in Node, timers set during one task count from one time (libuv's loop
  // time, read once per turn): two timeouts of 5 ms set one after the other
  // fall due together and run in the same timers phase. The time is read
  // again for each task the loop takes, and after a millisecond at most (a
  // runtime called from Rust twice without running its loop).
  let turnTime;
  function startTime() {
    const now = host.now();
    if (turnTime === undefined || now - turnTime >= 1) turnTime = now;
    return turnTime;
  }
  function schedule(record) {
    record.due = startTime() + record.delay;
    record.seq = timerSeq++;
    activeTimers[record.id] = record;
  }
  class Timeout extends TimerHandle {
    // Re-arms the timer, even one that already fired (as in Node), but not
    // one that was cleared.
    refresh() {
      const record = recordOf(this);
      if (!record.cleared) schedule(record);
      return this;
    }
    close() {
      clearTimer(this);
      return this;
    }
    [Symbol.toPrimitive]() { return recordOf(this).id; }
  }
  class Immediate extends TimerHandle {}
  function newTimeout(fn, delay, args, repeat) {
    delay = Number(delay);
    if (!(delay >= 1 && delay <= TIMEOUT_MAX)) delay = 1;
    const record = { __proto__: null, id: nextTimerId++, fn, args, delay, repeat, ref: true, due: 0, seq: 0, cleared: false };
    schedule(record);
    return new Timeout(record, token);
  }
  // Takes a due timer off the queue (or schedules its next run) and returns
  // the call to make.
  function take(record) {
    if (record.repeat) schedule(record); else delete activeTimers[record.id];
    const { fn, args } = record;
    return () => fn(...args);
  }

  function clearTimer(timer) {
    const record = readRecord(timer);
    if (record !== undefined) {
      if (record.id === undefined) return;
      record.cleared = true;
      if (activeTimers[record.id] === record) delete activeTimers[record.id];
    } else if (typeof timer === 'number' || typeof timer === 'string') {
      const id = Number(timer);
      const active = activeTimers[id];
      if (active !== undefined) {
        active.cleared = true;
        delete activeTimers[id];
      }
    }
  }

  const timerGlobals = {
    setTimeout(fn, delay, ...args) { checkCallback(fn); return newTimeout(fn, delay, args, false); },
    setInterval(fn, delay, ...args) { checkCallback(fn); return newTimeout(fn, delay, args, true); },
    setImmediate(fn, ...args) {
      checkCallback(fn);
      const record = { __proto__: null, fn, args, ref: true, cleared: false };
      immediates[immediates.length] = record;
      return new Immediate(record, token);
    },
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    clearImmediate(immediate) {
      const record = readRecord(immediate);
      if (record !== undefined && record.id === undefined) record.cleared = true;
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
  let dueNext = 0;
  let immediateBatch = list();
  let immediateNext = 0;

  // Whether record `a` runs before `b`: by due time, then creation.
  const before = (a, b) => a.due < b.due || (a.due === b.due && a.seq < b.seq);

  function takeTask() {
    turnTime = undefined;
    for (let step = 0; step < 2; step++) {
      if (phase === 'timers') {
        if (dueBatch === null) {
          const now = host.now();
          dueBatch = list();
          dueNext = 0;
          for (const id in activeTimers) {
            const record = activeTimers[id];
            if (record.due > now) continue;
            // Insertion into order: a batch is short.
            let i = dueBatch.length;
            while (i > 0 && before(record, dueBatch[i - 1])) {
              dueBatch[i] = dueBatch[i - 1];
              i--;
            }
            dueBatch[i] = record;
          }
        }
        while (dueNext < dueBatch.length) {
          const record = dueBatch[dueNext++];
          if (activeTimers[record.id] === record) return take(record);
        }
        dueBatch = null;
        phase = 'check';
        immediateBatch = immediates;
        immediateNext = 0;
        immediates = list();
      }
      while (immediateNext < immediateBatch.length) {
        const record = immediateBatch[immediateNext++];
        if (!record.cleared) {
          const { fn, args } = record;
          return () => fn(...args);
        }
      }
      phase = 'timers';
      if (immediates.length) continue;
      let next;
      let alive = false;
      for (const id in activeTimers) {
        const record = activeTimers[id];
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
