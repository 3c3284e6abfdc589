// jsbox built-in module `events`: EventEmitter and the helpers Node 20's
// `events` module exports (once, on, getEventListeners, setMaxListeners,
// addAbortListener, ...), written for jsbox after Node's documented
// behaviour. EventTarget, AbortSignal and AbortError come from the prelude's
// `events` chunk (js/prelude/events.js), loaded only when a helper meets an
// EventTarget or a signal.
//
// Evaluated as a script whose completion value is this function; jsbox calls
// it once per runtime with a fresh module object.
//
// Storage, as in Node (code in the wild reads it): `emitter._events` is an
// object without prototype mapping each event name to its listener, or to an
// array of listeners once there are two or more; `_eventsCount` counts the
// names; `_maxListeners` is the per-emitter limit (undefined: the default).
//
// MaxListenersExceededWarning is printed through `internal.warn` with the
// text Node prints after its "(node:PID) " prefix.
//
// Differences from Node: see docs/modules.md, section `events`.
(function (exports, require, module, internal) {
  'use strict';

  const { codedError, invalidArgType, validateNumber, validateBoolean, validateFunction, validateObject } =
    internal.errors;
  const inspect = internal.inspect;

  const kCapture = Symbol('kCapture');
  const kShapeMode = Symbol('shapeMode');
  const kErrorMonitor = Symbol('events.errorMonitor');
  const kRejection = Symbol.for('nodejs.rejection');
  const dispose = typeof Symbol.dispose === 'symbol' ? Symbol.dispose : Symbol.for('nodejs.dispose');

  // The prelude's Web events (EventTarget, AbortSignal, AbortError), loaded
  // the first time they are needed.
  let webEvents;
  function web() {
    if (webEvents === undefined) {
      webEvents = internal.events;
      webEvents.setDefaultMaxListeners(defaultMaxListeners);
    }
    return webEvents;
  }

  let defaultMaxListeners = 10;

  function checkListener(listener) {
    if (typeof listener !== 'function') throw invalidArgType('listener', 'Function', listener);
  }

  function nextTick(fn) {
    const process = internal.process;
    if (process && typeof process.nextTick === 'function') process.nextTick(fn);
    else queueMicrotask(fn);
  }

  const newEventTable = () => Object.create(null);

  // ---- the class ---------------------------------------------------------
  function EventEmitter(opts) {
    EventEmitter.init.call(this, opts);
  }

  EventEmitter.prototype._events = undefined;
  EventEmitter.prototype._eventsCount = 0;
  EventEmitter.prototype._maxListeners = undefined;
  Object.defineProperty(EventEmitter.prototype, kCapture, { value: false, writable: true, enumerable: false });

  function init(opts) {
    const proto = Object.getPrototypeOf(this);
    // An `_events` already there (a subclass set it up before calling us)
    // keeps its shape: removed names are set to undefined, not deleted.
    if (this._events === undefined || (proto !== null && this._events === proto._events)) {
      this._events = newEventTable();
      this._eventsCount = 0;
      this[kShapeMode] = false;
    } else {
      this[kShapeMode] = true;
    }
    this._maxListeners = this._maxListeners || undefined;
    if (opts?.captureRejections) {
      validateBoolean(opts.captureRejections, 'options.captureRejections');
      this[kCapture] = true;
    } else {
      this[kCapture] = EventEmitter.prototype[kCapture];
    }
  }

  function maxListenersOf(emitter) {
    return emitter._maxListeners === undefined ? defaultMaxListeners : emitter._maxListeners;
  }

  EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
    validateNumber(n, 'setMaxListeners', 0);
    this._maxListeners = n;
    return this;
  };

  EventEmitter.prototype.getMaxListeners = function getMaxListeners() {
    return maxListenersOf(this);
  };

  // ---- emit --------------------------------------------------------------
  function unhandledError(args) {
    const value = args[0];
    if (value instanceof Error) return value;
    let shown;
    try {
      shown = inspect(value);
    } catch {
      shown = value;
    }
    const err = codedError(Error, 'ERR_UNHANDLED_ERROR', `Unhandled error. (${String(shown)})`);
    err.context = value;
    return err;
  }

  // With captureRejections, a listener's rejected promise becomes an 'error'
  // event (or a call of the emitter's Symbol.for('nodejs.rejection') method).
  function watchForRejection(emitter, result, type, args) {
    try {
      const then = result.then;
      if (typeof then !== 'function') return;
      Reflect.apply(then, result, [undefined, (err) => {
        nextTick(() => reportRejection(emitter, err, type, args));
      }]);
    } catch (err) {
      emitter.emit('error', err);
    }
  }

  function reportRejection(emitter, err, type, args) {
    const handler = emitter[kRejection];
    if (typeof handler === 'function') {
      Reflect.apply(handler, emitter, [err, type, ...args]);
      return;
    }
    // Emitted with capturing off, so a failing 'error' listener cannot loop.
    const before = emitter[kCapture];
    try {
      emitter[kCapture] = false;
      emitter.emit('error', err);
    } finally {
      emitter[kCapture] = before;
    }
  }

  function callListener(emitter, listener, type, args) {
    const result = Reflect.apply(listener, emitter, args);
    if (result !== undefined && result !== null && emitter[kCapture]) {
      watchForRejection(emitter, result, type, args);
    }
  }

  EventEmitter.prototype.emit = function emit(type, ...args) {
    const events = this._events;
    if (type === 'error') {
      if (events !== undefined && events[kErrorMonitor] !== undefined) this.emit(kErrorMonitor, ...args);
      if (events === undefined || events.error === undefined) throw unhandledError(args);
    }
    if (events === undefined) return false;
    const stored = events[type];
    if (stored === undefined) return false;
    if (typeof stored === 'function') {
      callListener(this, stored, type, args);
    } else {
      // Listeners added or removed by a listener do not change this emit.
      const listeners = stored.slice();
      for (let i = 0; i < listeners.length; i++) callListener(this, listeners[i], type, args);
    }
    return true;
  };

  // ---- adding listeners --------------------------------------------------
  function warnLeak(emitter, type, count, max) {
    const text = `Possible EventEmitter memory leak detected. ${count} ${String(type)} listeners ` +
      `added to ${inspect(emitter, { depth: -1 })}. MaxListeners is ${max}. ` +
      'Use emitter.setMaxListeners() to increase limit';
    const warning = new Error(text);
    warning.name = 'MaxListenersExceededWarning';
    warning.emitter = emitter;
    warning.type = type;
    warning.count = count;
    internal.warn(`MaxListenersExceededWarning: ${text}`, warning);
  }

  function insertListener(emitter, type, listener, prepend) {
    checkListener(listener);
    let events = emitter._events;
    if (events === undefined) {
      events = emitter._events = newEventTable();
      emitter._eventsCount = 0;
    } else if (events.newListener !== undefined) {
      // Announced before it is added, with the original of a once wrapper.
      emitter.emit('newListener', type, listener.listener ?? listener);
      events = emitter._events;
    }
    const stored = events[type];
    if (stored === undefined) {
      events[type] = listener;
      emitter._eventsCount++;
      return emitter;
    }
    let list;
    if (typeof stored === 'function') {
      list = events[type] = prepend ? [listener, stored] : [stored, listener];
    } else {
      list = stored;
      if (prepend) list.unshift(listener);
      else list.push(listener);
    }
    const max = maxListenersOf(emitter);
    if (max > 0 && list.length > max && !list.warned) {
      list.warned = true;
      warnLeak(emitter, type, list.length, max);
    }
    return emitter;
  }

  EventEmitter.prototype.addListener = function addListener(type, listener) {
    return insertListener(this, type, listener, false);
  };
  EventEmitter.prototype.on = EventEmitter.prototype.addListener;

  EventEmitter.prototype.prependListener = function prependListener(type, listener) {
    return insertListener(this, type, listener, true);
  };

  // A listener that removes itself before its first call; `.listener` is the
  // original, which removeListener and listeners() look through.
  function onceWrapper(emitter, type, listener) {
    let fired = false;
    const wrapper = function (...args) {
      if (fired) return undefined;
      fired = true;
      emitter.removeListener(type, wrapper);
      return Reflect.apply(listener, emitter, args);
    };
    wrapper.listener = listener;
    return wrapper;
  }

  EventEmitter.prototype.once = function once(type, listener) {
    checkListener(listener);
    this.on(type, onceWrapper(this, type, listener));
    return this;
  };

  EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
    checkListener(listener);
    this.prependListener(type, onceWrapper(this, type, listener));
    return this;
  };

  // ---- removing listeners ------------------------------------------------
  EventEmitter.prototype.removeListener = function removeListener(type, listener) {
    checkListener(listener);
    const events = this._events;
    if (events === undefined) return this;
    const stored = events[type];
    if (stored === undefined) return this;

    if (stored === listener || stored.listener === listener) {
      this._eventsCount--;
      if (this[kShapeMode]) {
        events[type] = undefined;
      } else if (this._eventsCount === 0) {
        this._events = newEventTable();
      } else {
        delete events[type];
        if (events.removeListener) this.emit('removeListener', type, stored.listener || listener);
      }
      return this;
    }
    if (typeof stored === 'function') return this;

    // The most recently added match goes first.
    let index = stored.length - 1;
    while (index >= 0 && stored[index] !== listener && stored[index].listener !== listener) index--;
    if (index < 0) return this;
    stored.splice(index, 1);
    if (stored.length === 1) events[type] = stored[0];
    if (events.removeListener !== undefined) this.emit('removeListener', type, listener);
    return this;
  };
  EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

  EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
    const events = this._events;
    if (events === undefined) return this;
    const all = arguments.length === 0;

    if (events.removeListener === undefined) {
      // Nobody to tell: drop the entries directly.
      if (all) {
        this._events = newEventTable();
        this._eventsCount = 0;
      } else if (events[type] !== undefined) {
        this._eventsCount--;
        if (this._eventsCount === 0) this._events = newEventTable();
        else delete events[type];
      }
      this[kShapeMode] = false;
      return this;
    }

    if (all) {
      const names = Reflect.ownKeys(events);
      for (let i = 0; i < names.length; i++) {
        if (names[i] !== 'removeListener') this.removeAllListeners(names[i]);
      }
      this.removeAllListeners('removeListener');
      this._events = newEventTable();
      this._eventsCount = 0;
      this[kShapeMode] = false;
      return this;
    }

    const stored = events[type];
    if (typeof stored === 'function') {
      this.removeListener(type, stored);
    } else if (stored !== undefined) {
      // Last added, first removed.
      for (let i = stored.length - 1; i >= 0; i--) this.removeListener(type, stored[i]);
    }
    return this;
  };

  // ---- looking at listeners ----------------------------------------------
  function listenersOf(emitter, type, unwrap) {
    const events = emitter._events;
    const stored = events === undefined ? undefined : events[type];
    if (stored === undefined) return [];
    const list = typeof stored === 'function' ? [stored] : stored.slice();
    if (unwrap) {
      for (let i = 0; i < list.length; i++) {
        if (typeof list[i].listener === 'function') list[i] = list[i].listener;
      }
    }
    return list;
  }

  EventEmitter.prototype.listeners = function listeners(type) {
    return listenersOf(this, type, true);
  };

  EventEmitter.prototype.rawListeners = function rawListeners(type) {
    return listenersOf(this, type, false);
  };

  function listenerCount(type, listener) {
    const events = this._events;
    const stored = events === undefined ? undefined : events[type];
    if (stored === undefined) return 0;
    const list = typeof stored === 'function' ? [stored] : stored;
    if (listener == null) return list.length;
    let count = 0;
    for (let i = 0; i < list.length; i++) {
      if (list[i] === listener || list[i].listener === listener) count++;
    }
    return count;
  }
  EventEmitter.prototype.listenerCount = listenerCount;

  EventEmitter.prototype.eventNames = function eventNames() {
    return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
  };

  // ---- module-level helpers ----------------------------------------------
  function isTarget(value) {
    return value !== null && typeof value === 'object' && web().isEventTarget(value);
  }

  // Listens on an EventEmitter (on/once) or anything with addEventListener.
  function listen(emitter, name, listener, once) {
    if (typeof emitter?.on === 'function') {
      if (once) emitter.once(name, listener);
      else emitter.on(name, listener);
    } else if (typeof emitter?.addEventListener === 'function') {
      emitter.addEventListener(name, listener, { once });
    } else {
      throw invalidArgType('emitter', 'EventEmitter', emitter);
    }
  }

  function unlisten(emitter, name, listener) {
    if (typeof emitter?.removeListener === 'function') {
      emitter.removeListener(name, listener);
    } else if (typeof emitter?.removeEventListener === 'function') {
      emitter.removeEventListener(name, listener);
    } else {
      throw invalidArgType('emitter', 'EventEmitter', emitter);
    }
  }

  function signalOption(options) {
    validateObject(options, 'options');
    const signal = options.signal;
    if (signal !== undefined) web().validateSignal(signal, 'options.signal');
    return signal;
  }

  const abortedBy = (signal) => new (web().AbortError)(undefined, { cause: signal.reason });

  // The arguments of the next `name` event, as an array; rejects with the
  // next 'error' event of an EventEmitter, or when `options.signal` aborts.
  async function once(emitter, name, options = {}) {
    const signal = signalOption(options);
    if (signal !== undefined && signal.aborted) throw abortedBy(signal);
    return new Promise((resolve, reject) => {
      const watchErrors = name !== 'error' && typeof emitter?.once === 'function';
      const stopWatchingAbort = () => {
        if (signal !== undefined) signal.removeEventListener('abort', onAbort);
      };
      const onEvent = (...args) => {
        if (watchErrors) emitter.removeListener('error', onError);
        stopWatchingAbort();
        resolve(args);
      };
      const onError = (err) => {
        unlisten(emitter, name, onEvent);
        stopWatchingAbort();
        reject(err);
      };
      const onAbort = () => {
        unlisten(emitter, name, onEvent);
        if (watchErrors) emitter.removeListener('error', onError);
        reject(abortedBy(signal));
      };
      listen(emitter, name, onEvent, true);
      if (watchErrors) emitter.once('error', onError);
      if (signal !== undefined) signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  // An async iterator over `name` events (each value the array of the
  // event's arguments). An 'error' event makes it throw; `options.signal`
  // aborts it; `options.close` names events that end it.
  function on(emitter, name, options = {}) {
    const signal = signalOption(options);
    if (signal !== undefined && signal.aborted) throw abortedBy(signal);
    const closeOn = options.close;

    const queued = [];       // events nobody asked for yet
    const waiting = [];      // [resolve, reject] of next() calls not answered yet
    let failure = null;
    let finished = false;
    const watchErrors = name !== 'error' && typeof emitter?.on === 'function';

    const onEvent = (...args) => {
      if (waiting.length > 0) waiting.shift()[0]({ value: args, done: false });
      else queued.push(args);
    };
    const onError = (err) => {
      if (waiting.length > 0) waiting.shift()[1](err);
      else failure = err;
      stop();
    };
    const onAbort = () => onError(abortedBy(signal));
    const onClose = () => stop();

    function stop() {
      if (finished) return;
      finished = true;
      unlisten(emitter, name, onEvent);
      if (watchErrors) unlisten(emitter, 'error', onError);
      if (signal !== undefined) signal.removeEventListener('abort', onAbort);
      if (Array.isArray(closeOn)) for (let i = 0; i < closeOn.length; i++) unlisten(emitter, closeOn[i], onClose);
      const done = { value: undefined, done: true };
      while (waiting.length > 0) waiting.shift()[0](done);
    }

    listen(emitter, name, onEvent, false);
    if (watchErrors) listen(emitter, 'error', onError, false);
    if (Array.isArray(closeOn)) for (let i = 0; i < closeOn.length; i++) listen(emitter, closeOn[i], onClose, false);
    if (signal !== undefined) signal.addEventListener('abort', onAbort, { once: true });

    const iterator = {
      next() {
        if (queued.length > 0) return Promise.resolve({ value: queued.shift(), done: false });
        if (failure !== null) {
          const err = failure;
          failure = null;
          return Promise.reject(err);
        }
        if (finished) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => { waiting.push([resolve, reject]); });
      },
      return() {
        stop();
        return Promise.resolve({ value: undefined, done: true });
      },
      throw(err) {
        if (!(err instanceof Error)) {
          throw invalidArgType('EventEmitter.AsyncIterator', 'Error', err);
        }
        onError(err);
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    const asyncIteratorProto = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
    return Object.setPrototypeOf(iterator, asyncIteratorProto);
  }

  function getEventListeners(emitterOrTarget, type) {
    if (typeof emitterOrTarget?.listeners === 'function') return emitterOrTarget.listeners(type);
    if (isTarget(emitterOrTarget)) return web().listenersOf(emitterOrTarget, type);
    throw invalidArgType('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
  }

  function getMaxListeners(emitterOrTarget) {
    if (typeof emitterOrTarget?.getMaxListeners === 'function') return maxListenersOf(emitterOrTarget);
    if (isTarget(emitterOrTarget)) return web().maxListenersOf(emitterOrTarget);
    throw invalidArgType('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
  }

  function setMaxListeners(n = defaultMaxListeners, ...eventTargets) {
    validateNumber(n, 'setMaxListeners', 0);
    if (eventTargets.length === 0) {
      setDefaultMaxListeners(n);
      return;
    }
    for (let i = 0; i < eventTargets.length; i++) {
      const target = eventTargets[i];
      if (isTarget(target)) {
        web().setMaxListenersOf(target, n);
      } else if (typeof target?.setMaxListeners === 'function') {
        target.setMaxListeners(n);
      } else {
        throw invalidArgType('eventTargets', ['EventEmitter', 'EventTarget'], target);
      }
    }
  }

  // EventTargets made from now on start with it too, whenever they are made.
  function setDefaultMaxListeners(n) {
    defaultMaxListeners = n;
    web().setDefaultMaxListeners(n);
  }

  // Calls `listener` once when `signal` aborts (from a microtask if it has
  // already); the returned object's Symbol.dispose method stops listening.
  function addAbortListener(signal, listener) {
    if (signal === undefined) throw invalidArgType('signal', 'AbortSignal', signal);
    web().validateSignal(signal, 'signal');
    validateFunction(listener, 'listener');
    let removeFn;
    if (signal.aborted) {
      queueMicrotask(() => listener());
    } else {
      signal.addEventListener('abort', listener, { once: true });
      removeFn = () => signal.removeEventListener('abort', listener);
    }
    return {
      __proto__: null,
      [dispose]() {
        if (removeFn !== undefined) removeFn();
      },
    };
  }

  // ---- the exports, in Node's order --------------------------------------
  EventEmitter.addAbortListener = addAbortListener;
  EventEmitter.once = once;
  EventEmitter.on = on;
  EventEmitter.getEventListeners = getEventListeners;
  EventEmitter.getMaxListeners = getMaxListeners;
  EventEmitter.EventEmitter = EventEmitter;
  EventEmitter.usingDomains = false;
  EventEmitter.captureRejectionSymbol = kRejection;
  Object.defineProperty(EventEmitter, 'captureRejections', {
    get() {
      return EventEmitter.prototype[kCapture];
    },
    set(value) {
      validateBoolean(value, 'EventEmitter.captureRejections');
      EventEmitter.prototype[kCapture] = value;
    },
    enumerable: true,
  });
  EventEmitter.errorMonitor = kErrorMonitor;
  Object.defineProperty(EventEmitter, 'defaultMaxListeners', {
    enumerable: true,
    get() {
      return defaultMaxListeners;
    },
    set(value) {
      validateNumber(value, 'defaultMaxListeners', 0);
      setDefaultMaxListeners(value);
    },
  });
  Object.defineProperties(EventEmitter, {
    kMaxEventTargetListeners: { get: () => web().kMaxEventTargetListeners, enumerable: false },
    kMaxEventTargetListenersWarned: { get: () => web().kMaxEventTargetListenersWarned, enumerable: false },
  });
  // Anonymous, as Node's are.
  EventEmitter.setMaxListeners = function (...args) {
    return Reflect.apply(setMaxListeners, undefined, args);
  };
  EventEmitter.init = function (opts) {
    return Reflect.apply(init, this, [opts]);
  };
  EventEmitter.listenerCount = function (emitter, type) {
    if (typeof emitter.listenerCount === 'function') return emitter.listenerCount(type);
    return Reflect.apply(listenerCount, emitter, [type]);
  };

  module.exports = EventEmitter;
})
