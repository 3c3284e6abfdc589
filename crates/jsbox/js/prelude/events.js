// The Web event classes Node has as globals (EventTarget, Event, CustomEvent,
// AbortController, AbortSignal), Node's AbortError, and the promise timers
// of `timers/promises`. Loaded the first time a script touches one of the
// globals, requires 'events' or 'timers/promises' helpers that need them, or
// reads util.promisify.custom of setTimeout/setImmediate.
//
// Every class keeps its state in private fields: a script cannot fake an
// event's phase or a signal's abort state, and methods called on the wrong
// kind of object throw ERR_INVALID_THIS as in Node.
(function (host, core) {
  'use strict';
  const { codedError } = core;
  const { reflectApply, objectCreate, defineProperty } = core.primordials;
  const errors = core.load('errors');
  const { invalidArgType, validateNumber, validateBoolean, validateObject, validateFunction } = errors;
  const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
  const inspect = (value, options) => core.util.inspect(value, options);

  const kMaxEventTargetListeners = Symbol('events.maxEventTargetListeners');
  const kMaxEventTargetListenersWarned = Symbol('events.maxEventTargetListenersWarned');
  // Lets only this file make AbortSignals and the scheduler.
  const kCreate = Symbol('create');

  // events.defaultMaxListeners, which new EventTargets start with; the
  // events module keeps it in step.
  let defaultMaxListeners = 10;

  function invalidThis(type) {
    return codedError(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${type}`);
  }

  const isObjectLike = (value) => value !== null && (typeof value === 'object' || typeof value === 'function');

  // Node's AbortError (not the DOMException of the same name): what an
  // aborted Node API rejects with.
  class AbortError extends Error {
    constructor(message = 'The operation was aborted', options = undefined) {
      super(message, options);
      this.code = 'ABORT_ERR';
      this.name = 'AbortError';
    }
  }

  function domException(message, name) {
    return new globalThis.DOMException(message, name);
  }

  // Process warnings, printed as jsbox prints the events module's.
  function warn(text) {
    core.emit(true, '(jsbox) ' + text);
  }

  // Errors thrown by listeners do not stop the dispatch: as in Node, they
  // surface afterwards as uncaught exceptions.
  function reportListenerError(err) {
    const process = core.load('process').process;
    if (process && typeof process.nextTick === 'function') {
      process.nextTick(() => { throw err; });
    } else {
      Promise.resolve().then(() => { throw err; });
    }
  }

  // Custom inspection as Node prints these objects: `Name { ...fields }`.
  function inspectWith(name, fields, depth, options, inspectFn) {
    if (depth < 0) return name;
    const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
    return `${name} ${(typeof inspectFn === 'function' ? inspectFn : inspect)(fields, opts)}`;
  }

  // ---- Event -------------------------------------------------------------
  let eventState;
  class Event {
    #type; #bubbles; #cancelable; #composed; #timeStamp;
    #trusted = false;
    #defaultPrevented = false;
    #stopped = false;
    #stoppedImmediately = false;
    #dispatching = false;
    #target = null;
    #currentTarget = null;
    #phase = 0;

    constructor(type, options = undefined) {
      if (arguments.length === 0) {
        throw codedError(TypeError, 'ERR_MISSING_ARGS', 'The "type" argument must be specified');
      }
      if (options != null) validateObject(options, 'options');
      this.#type = `${type}`;
      this.#bubbles = !!options?.bubbles;
      this.#cancelable = !!options?.cancelable;
      this.#composed = !!options?.composed;
      this.#timeStamp = host.now();
    }

    static #is(value) {
      return isObjectLike(value) && #type in value;
    }
    static #check(value) {
      if (!Event.#is(value)) throw invalidThis('Event');
    }

    initEvent(type, bubbles = false, cancelable = false) {
      Event.#check(this);
      if (arguments.length === 0) {
        throw codedError(TypeError, 'ERR_MISSING_ARGS', 'The "type" argument must be specified');
      }
      if (this.#dispatching) return;
      this.#type = `${type}`;
      this.#bubbles = !!bubbles;
      this.#cancelable = !!cancelable;
    }
    stopImmediatePropagation() {
      Event.#check(this);
      this.#stopped = true;
      this.#stoppedImmediately = true;
    }
    preventDefault() {
      Event.#check(this);
      // Node 20 lets passive listeners prevent the default too.
      if (this.#cancelable) this.#defaultPrevented = true;
    }
    get target() { Event.#check(this); return this.#target; }
    get currentTarget() { Event.#check(this); return this.#currentTarget; }
    get srcElement() { Event.#check(this); return this.#target; }
    get type() { Event.#check(this); return this.#type; }
    get cancelable() { Event.#check(this); return this.#cancelable; }
    get defaultPrevented() { Event.#check(this); return this.#cancelable && this.#defaultPrevented; }
    get timeStamp() { Event.#check(this); return this.#timeStamp; }
    composedPath() {
      Event.#check(this);
      return this.#dispatching ? [this.#currentTarget] : [];
    }
    get returnValue() { Event.#check(this); return !(this.#cancelable && this.#defaultPrevented); }
    get bubbles() { Event.#check(this); return this.#bubbles; }
    get composed() { Event.#check(this); return this.#composed; }
    get eventPhase() { Event.#check(this); return this.#phase; }
    get cancelBubble() { Event.#check(this); return this.#stopped; }
    set cancelBubble(value) {
      Event.#check(this);
      if (value) this.#stopped = true;
    }
    stopPropagation() {
      Event.#check(this);
      this.#stopped = true;
    }
    get isTrusted() { Event.#check(this); return this.#trusted; }

    [inspectSymbol](depth, options, inspectFn) {
      const name = this.constructor.name;
      if (!Event.#is(this)) return name;
      return inspectWith(name, {
        type: this.#type,
        defaultPrevented: this.#cancelable && this.#defaultPrevented,
        cancelable: this.#cancelable,
        timeStamp: this.#timeStamp,
      }, depth, options, inspectFn);
    }

    static {
      // What EventTarget's dispatch reads and changes.
      eventState = {
        is: (value) => Event.#is(value),
        dispatching: (event) => event.#dispatching,
        stoppedImmediately: (event) => event.#stoppedImmediately,
        trust(event) { event.#trusted = true; },
        begin(event, target) {
          event.#dispatching = true;
          event.#target = target;
          event.#currentTarget = target;
          event.#phase = 2;
        },
        end(event) {
          event.#dispatching = false;
          event.#currentTarget = null;
          event.#phase = 0;
        },
      };
    }
  }
  for (const [name, value] of [['NONE', 0], ['CAPTURING_PHASE', 1], ['AT_TARGET', 2], ['BUBBLING_PHASE', 3]]) {
    defineProperty(Event, name, { value, writable: false, enumerable: true, configurable: false });
  }

  class CustomEvent extends Event {
    #detail;
    constructor(type, options = undefined) {
      if (arguments.length === 0) {
        throw codedError(TypeError, 'ERR_MISSING_ARGS', 'The "type" argument must be specified');
      }
      super(type, options);
      this.#detail = options?.detail ?? null;
    }
    get detail() {
      if (!(isObjectLike(this) && #detail in this)) throw invalidThis('CustomEvent');
      return this.#detail;
    }
  }

  // ---- EventTarget -------------------------------------------------------
  function listenerOptions(options) {
    if (typeof options === 'boolean') return { capture: options, once: false, passive: false, signal: undefined };
    if (options == null) return { capture: false, once: false, passive: false, signal: undefined };
    validateObject(options, 'options');
    const signal = options.signal;
    if (signal !== undefined && !isAbortSignal(signal)) {
      throw invalidArgType('options.signal', 'AbortSignal', signal);
    }
    return { capture: !!options.capture, once: !!options.once, passive: !!options.passive, signal };
  }

  function captureOf(options) {
    if (typeof options === 'boolean') return options;
    return options != null && typeof options === 'object' && !!options.capture;
  }

  function validListener(listener) {
    if (listener == null) return false;
    if (typeof listener === 'function' || typeof listener === 'object') return true;
    throw invalidArgType('listener', 'EventListener', listener);
  }

  let targetState;
  class EventTarget {
    // type -> array of { listener, capture, once, passive, removed }
    #listeners = objectCreate(null);
    #max = defaultMaxListeners;
    #warned = false;

    static #is(value) {
      return isObjectLike(value) && #listeners in value;
    }
    static #check(value) {
      if (!EventTarget.#is(value)) throw invalidThis('EventTarget');
    }

    addEventListener(type, listener, options = undefined) {
      EventTarget.#check(this);
      if (arguments.length < 2) {
        throw codedError(TypeError, 'ERR_MISSING_ARGS', 'The "type" and "listener" arguments must be specified');
      }
      const { capture, once, passive, signal } = listenerOptions(options);
      if (!validListener(listener)) {
        warn(`AddEventListenerArgumentTypeWarning: addEventListener called with ${listener} which has no effect.`);
        return;
      }
      if (signal !== undefined && signal.aborted) return;
      type = `${type}`;
      let list = this.#listeners[type];
      if (list === undefined) list = this.#listeners[type] = [];
      for (let i = 0; i < list.length; i++) {
        if (list[i].listener === listener && list[i].capture === capture) return;
      }
      const record = { __proto__: null, listener, capture, once, passive, removed: false };
      list[list.length] = record;
      if (this.#max > 0 && list.length > this.#max && !this.#warned) {
        this.#warned = true;
        warn(`MaxListenersExceededWarning: Possible EventTarget memory leak detected. ${list.length} ${type} ` +
          `listeners added to ${inspect(this, { depth: -1 })}. MaxListeners is ${this.#max}. ` +
          'Use events.setMaxListeners() to increase limit');
      }
      if (signal !== undefined) {
        const target = this;
        signal.addEventListener('abort', () => {
          target.removeEventListener(type, listener, capture);
        }, { once: true });
      }
    }

    removeEventListener(type, listener, options = undefined) {
      EventTarget.#check(this);
      if (arguments.length < 2) {
        throw codedError(TypeError, 'ERR_MISSING_ARGS', 'The "type" and "listener" arguments must be specified');
      }
      if (!validListener(listener)) return;
      type = `${type}`;
      const capture = captureOf(options);
      const list = this.#listeners[type];
      if (list === undefined) return;
      for (let i = 0; i < list.length; i++) {
        const record = list[i];
        if (record.listener === listener && record.capture === capture) {
          record.removed = true;
          list.splice(i, 1);
          if (list.length === 0) delete this.#listeners[type];
          return;
        }
      }
    }

    dispatchEvent(event) {
      EventTarget.#check(this);
      if (!eventState.is(event)) throw invalidArgType('event', 'Event', event);
      if (eventState.dispatching(event)) {
        throw codedError(Error, 'ERR_EVENT_RECURSION', `The event "${event.type}" is already being dispatched`);
      }
      this.#deliver(event);
      return !event.defaultPrevented;
    }

    #deliver(event) {
      eventState.begin(event, this);
      try {
        const list = this.#listeners[event.type];
        if (list === undefined) return;
        const snapshot = list.slice();
        for (let i = 0; i < snapshot.length; i++) {
          const record = snapshot[i];
          if (record.removed) continue;
          if (record.once) this.removeEventListener(event.type, record.listener, record.capture);
          try {
            const listener = record.listener;
            if (typeof listener === 'function') {
              reflectApply(listener, this, [event]);
            } else {
              const handleEvent = listener.handleEvent;
              if (typeof handleEvent === 'function') reflectApply(handleEvent, listener, [event]);
            }
          } catch (err) {
            reportListenerError(err);
          }
          if (eventState.stoppedImmediately(event)) break;
        }
      } finally {
        eventState.end(event);
      }
    }

    [inspectSymbol](depth, options, inspectFn) {
      const name = this.constructor.name;
      if (depth < 0) return name;
      return inspectWith(name, {}, depth, options, inspectFn);
    }

    static {
      targetState = {
        is: (value) => EventTarget.#is(value),
        max: (target) => target.#max,
        setMax(target, n) { target.#max = n; target.#warned = false; },
        // The listeners of `type`, as they were added (functions or objects).
        listeners(target, type) {
          const list = target.#listeners[`${type}`];
          const out = [];
          if (list !== undefined) for (let i = 0; i < list.length; i++) out[out.length] = list[i].listener;
          return out;
        },
        deliver(target, event) { target.#deliver(event); },
      };
    }
  }
  defineProperty(EventTarget.prototype, Symbol.toStringTag, { value: 'EventTarget', configurable: true });
  defineProperty(Event.prototype, Symbol.toStringTag, { value: 'Event', configurable: true });
  defineProperty(CustomEvent.prototype, Symbol.toStringTag, { value: 'CustomEvent', configurable: true });

  // ---- AbortSignal and AbortController ----------------------------------
  let signalState;
  class AbortSignal extends EventTarget {
    #aborted = false;
    #reason = undefined;
    #onabort = null;
    #onabortListener = null;

    constructor(key) {
      if (key !== kCreate) throw codedError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
      super();
    }
    static #is(value) {
      return isObjectLike(value) && #aborted in value;
    }
    static #check(value) {
      if (!AbortSignal.#is(value)) throw invalidThis('AbortSignal');
    }

    get aborted() { AbortSignal.#check(this); return this.#aborted; }
    get reason() { AbortSignal.#check(this); return this.#reason; }
    throwIfAborted() {
      AbortSignal.#check(this);
      if (this.#aborted) throw this.#reason;
    }
    get onabort() { AbortSignal.#check(this); return this.#onabort; }
    set onabort(handler) {
      AbortSignal.#check(this);
      if (typeof handler === 'function' || (handler !== null && typeof handler === 'object')) {
        this.#onabort = handler;
        if (this.#onabortListener === null) {
          // Stays where it was first added when the handler is replaced.
          const signal = this;
          this.#onabortListener = function (event) {
            const current = signal.#onabort;
            if (typeof current === 'function') return reflectApply(current, signal, [event]);
            return undefined;
          };
          this.addEventListener('abort', this.#onabortListener);
        }
      } else {
        this.#onabort = null;
        if (this.#onabortListener !== null) {
          this.removeEventListener('abort', this.#onabortListener);
          this.#onabortListener = null;
        }
      }
    }

    static abort(reason = domException('This operation was aborted', 'AbortError')) {
      const signal = new AbortSignal(kCreate);
      signal.#aborted = true;
      signal.#reason = reason;
      return signal;
    }

    static timeout(delay) {
      validateUint32(delay, 'delay');
      const signal = new AbortSignal(kCreate);
      const timers = core.load('timers').globals;
      // Does not keep the event loop alive, as in Node.
      timers.setTimeout(() => {
        abortSignal(signal, domException('The operation was aborted due to timeout', 'TimeoutError'));
      }, delay).unref();
      return signal;
    }

    static any(signals) {
      if (!Array.isArray(signals)) throw invalidArgType('signals', 'Array', signals);
      for (let i = 0; i < signals.length; i++) {
        if (!AbortSignal.#is(signals[i])) throw invalidArgType(`signals[${i}]`, 'AbortSignal', signals[i]);
      }
      const result = new AbortSignal(kCreate);
      for (let i = 0; i < signals.length; i++) {
        if (signals[i].#aborted) {
          result.#aborted = true;
          result.#reason = signals[i].#reason;
          return result;
        }
      }
      for (let i = 0; i < signals.length; i++) {
        const source = signals[i];
        source.addEventListener('abort', () => abortSignal(result, source.#reason), { once: true });
      }
      return result;
    }

    [inspectSymbol](depth, options, inspectFn) {
      if (!AbortSignal.#is(this)) return 'AbortSignal';
      if (depth < 0) return '[AbortSignal]';
      return inspectWith('AbortSignal', { aborted: this.#aborted }, depth, options, inspectFn);
    }

    static {
      signalState = {
        is: (value) => AbortSignal.#is(value),
        // Marks the signal aborted; true if it was not already.
        abort(signal, reason) {
          if (signal.#aborted) return false;
          signal.#aborted = true;
          signal.#reason = reason;
          return true;
        },
      };
    }
  }
  defineProperty(AbortSignal.prototype, Symbol.toStringTag, { value: 'AbortSignal', configurable: true });

  function isAbortSignal(value) {
    return signalState.is(value);
  }

  function abortSignal(signal, reason) {
    if (!signalState.abort(signal, reason)) return;
    const event = new Event('abort');
    eventState.trust(event);
    targetState.deliver(signal, event);
  }

  class AbortController {
    #signal = new AbortSignal(kCreate);
    static #check(value) {
      if (!(isObjectLike(value) && #signal in value)) throw invalidThis('AbortController');
    }
    get signal() { AbortController.#check(this); return this.#signal; }
    abort(reason = domException('This operation was aborted', 'AbortError')) {
      AbortController.#check(this);
      abortSignal(this.#signal, reason);
    }
    [inspectSymbol](depth, options, inspectFn) {
      if (!(isObjectLike(this) && #signal in this)) return 'AbortController';
      // Node prints an AbortController past the depth limit as an empty object.
      if (depth < 0) return 'AbortController {}';
      return inspectWith('AbortController', { signal: this.#signal }, depth, options, inspectFn);
    }
  }
  defineProperty(AbortController.prototype, Symbol.toStringTag, { value: 'AbortController', configurable: true });

  function validateUint32(value, name) {
    if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
    if (!Number.isInteger(value)) {
      throw errors.outOfRange(name, 'an integer', value);
    }
    if (value < 0 || value > 4294967295) {
      throw errors.outOfRange(name, '>= 0 && <= 4294967295', value);
    }
  }

  // `options.signal`, when given, must be an AbortSignal.
  function validateSignal(signal, name) {
    if (signal !== undefined && !isAbortSignal(signal)) throw invalidArgType(name, 'AbortSignal', signal);
  }

  // ---- timers/promises ---------------------------------------------------
  // Validates the options of a promise timer; returns { signal, ref }.
  function timerOptions(options) {
    validateObject(options, 'options');
    const signal = options.signal;
    validateSignal(signal, 'options.signal');
    const ref = options.ref;
    if (ref !== undefined) validateBoolean(ref, 'options.ref');
    return { signal, ref };
  }

  const abortedBy = (signal) => new AbortError(undefined, { cause: signal.reason });

  // A promise settled by a timer made with `start(done)` (which returns the
  // timer) and cancelled with `cancel(timer)`, rejecting when `signal`
  // aborts first.
  function timerPromise(signal, ref, start, cancel) {
    if (signal !== undefined && signal.aborted) return Promise.reject(abortedBy(signal));
    return new Promise((resolve, reject) => {
      let onAbort;
      const timer = start(() => {
        if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
        resolve();
      });
      if (ref === false) timer.unref();
      if (signal !== undefined) {
        onAbort = () => {
          cancel(timer);
          reject(abortedBy(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  function timersPromises() {
    const timers = core.load('timers').globals;
    const then = (promise, value) => promise.then(() => value);

    function setTimeout(delay, value, options = {}) {
      let settings;
      try {
        settings = timerOptions(options);
        if (delay !== undefined) validateNumber(delay, 'delay');
      } catch (err) {
        return Promise.reject(err);
      }
      return then(timerPromise(settings.signal, settings.ref,
        (done) => timers.setTimeout(done, delay), timers.clearTimeout), value);
    }

    function setImmediate(value, options = {}) {
      let settings;
      try {
        settings = timerOptions(options);
      } catch (err) {
        return Promise.reject(err);
      }
      return then(timerPromise(settings.signal, settings.ref,
        (done) => timers.setImmediate(done), timers.clearImmediate), value);
    }

    async function* setInterval(delay, value, options = {}) {
      const { signal, ref } = timerOptions(options);
      if (delay !== undefined) validateNumber(delay, 'delay');
      if (signal !== undefined && signal.aborted) throw abortedBy(signal);
      let ticks = 0;
      let wake = null;
      const wakeUp = () => {
        if (wake !== null) {
          const resolve = wake;
          wake = null;
          resolve();
        }
      };
      const timer = timers.setInterval(() => {
        ticks++;
        wakeUp();
      }, delay);
      if (ref === false) timer.unref();
      let onAbort;
      if (signal !== undefined) {
        onAbort = () => {
          timers.clearInterval(timer);
          wakeUp();
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      try {
        while (signal === undefined || !signal.aborted) {
          if (ticks === 0) await new Promise((resolve) => { wake = resolve; });
          for (; ticks > 0 && (signal === undefined || !signal.aborted); ticks--) yield value;
        }
        throw abortedBy(signal);
      } finally {
        timers.clearInterval(timer);
        if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
      }
    }

    const kScheduler = Symbol('kScheduler');
    class Scheduler {
      constructor(key) {
        if (key !== kCreate) throw codedError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
        this[kScheduler] = true;
      }
      yield() {
        if (!this[kScheduler]) return Promise.reject(invalidThis('Scheduler'));
        return setImmediate();
      }
      wait(delay, options) {
        if (!this[kScheduler]) return Promise.reject(invalidThis('Scheduler'));
        return setTimeout(delay, undefined, options);
      }
    }

    return { setTimeout, setImmediate, setInterval, scheduler: new Scheduler(kCreate) };
  }
  let promiseTimers;

  return {
    EventTarget, Event, CustomEvent, AbortController, AbortSignal, AbortError,
    kMaxEventTargetListeners, kMaxEventTargetListenersWarned,
    isEventTarget: (value) => targetState.is(value),
    isAbortSignal,
    validateSignal,
    maxListenersOf: (target) => targetState.max(target),
    setMaxListenersOf: (target, n) => targetState.setMax(target, n),
    listenersOf: (target, type) => targetState.listeners(target, type),
    setDefaultMaxListeners(n) { defaultMaxListeners = n; },
    get timersPromises() { return promiseTimers || (promiseTimers = timersPromises()); },
    validateFunction,
  };
})
