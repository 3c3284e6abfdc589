// jsbox built-in module `events`: a port of Node.js lib/events.js (v20)
// EventEmitter. Node.js is MIT licensed, Copyright Joyent, Inc. and other Node
// contributors.
//
// Evaluated as a script whose completion value is this function; jsbox calls
// it once per runtime with a fresh module object.
//
// `internal.warn(text, warning)` is called for process warnings (here only
// MaxListenersExceededWarning). `text` is what Node prints after its
// "(node:PID) " prefix, e.g. "MaxListenersExceededWarning: Possible ...";
// `warning` is the corresponding Error object (name, message, emitter, type,
// count), like the one Node passes to process.emitWarning.
//
// Differences from Node:
// - No EventTarget / AbortSignal integration beyond duck typing: `once()`
//   accepts `options.signal` if it looks like an AbortSignal
//   (`aborted`, `addEventListener`/`removeEventListener`).
// - `events.on()` (async iterator), `addAbortListener` and
//   `EventEmitterAsyncResource` are not provided.
// - Rejections captured with `captureRejections` are re-emitted from a
//   microtask (Node uses process.nextTick).
// - Unhandled 'error' Error objects are rethrown as-is, without Node's stack
//   enhancement ("Emitted 'error' event at: ...").
(function (exports, require, module, internal) {
  'use strict';

  const kRejection = Symbol.for('nodejs.rejection');
  const kCapture = Symbol('kCapture');
  const kErrorMonitor = Symbol('events.errorMonitor');
  const kShapeMode = Symbol('shapeMode');
  const kMaxEventTargetListeners = Symbol('events.maxEventTargetListeners');
  const kMaxEventTargetListenersWarned = Symbol('events.maxEventTargetListenersWarned');

  const inspect = internal.inspect;

  // ---- errors (port of Node's internal/errors helpers) --------------------
  const { codedError, invalidArgType, validateNumber, validateBoolean } = internal.errors;

  function validateAbortSignal(signal, name) {
    if (signal !== undefined &&
        (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
      throw invalidArgType(name, 'AbortSignal', signal);
    }
  }

  function checkListener(listener) {
    if (typeof listener !== 'function') throw invalidArgType('listener', 'Function', listener);
  }

  class AbortError extends Error {
    constructor(message = 'The operation was aborted', options = undefined) {
      super(message, options);
      this.code = 'ABORT_ERR';
      this.name = 'AbortError';
    }
  }

  const enqueue = typeof queueMicrotask === 'function'
    ? (fn) => queueMicrotask(fn)
    : (fn) => { Promise.resolve().then(fn); };

  // ---- EventEmitter ---------------------------------------------------------
  function EventEmitter(opts) {
    EventEmitter.init.call(this, opts);
  }
  module.exports = EventEmitter;
  module.exports.once = once;
  module.exports.getEventListeners = getEventListeners;
  module.exports.getMaxListeners = getMaxListeners;
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

  // The default for captureRejections is false
  Object.defineProperty(EventEmitter.prototype, kCapture, {
    value: false,
    writable: true,
    enumerable: false,
  });

  EventEmitter.prototype._events = undefined;
  EventEmitter.prototype._eventsCount = 0;
  EventEmitter.prototype._maxListeners = undefined;

  // By default EventEmitters will print a warning if more than 10 listeners
  // are added to it.
  let defaultMaxListeners = 10;

  Object.defineProperty(EventEmitter, 'defaultMaxListeners', {
    enumerable: true,
    get() {
      return defaultMaxListeners;
    },
    set(arg) {
      validateNumber(arg, 'defaultMaxListeners', 0);
      defaultMaxListeners = arg;
    },
  });

  function hasEventListener(self, type) {
    if (type === undefined)
      return self._events !== undefined;
    return self._events !== undefined && self._events[type] !== undefined;
  }

  Object.defineProperties(EventEmitter, {
    kMaxEventTargetListeners: {
      value: kMaxEventTargetListeners,
      enumerable: false,
      configurable: false,
      writable: false,
    },
    kMaxEventTargetListenersWarned: {
      value: kMaxEventTargetListenersWarned,
      enumerable: false,
      configurable: false,
      writable: false,
    },
  });

  EventEmitter.setMaxListeners = function (n = defaultMaxListeners, ...eventTargets) {
    validateNumber(n, 'setMaxListeners', 0);
    if (eventTargets.length === 0) {
      defaultMaxListeners = n;
    } else {
      for (let i = 0; i < eventTargets.length; i++) {
        const target = eventTargets[i];
        if (target != null && typeof target.setMaxListeners === 'function') {
          target.setMaxListeners(n);
        } else {
          throw invalidArgType('eventTargets', ['EventEmitter', 'EventTarget'], target);
        }
      }
    }
  };

  EventEmitter.init = function (opts) {
    if (this._events === undefined ||
        this._events === Object.getPrototypeOf(this)._events) {
      this._events = { __proto__: null };
      this._eventsCount = 0;
      this[kShapeMode] = false;
    } else {
      this[kShapeMode] = true;
    }

    this._maxListeners = this._maxListeners || undefined;

    if (opts?.captureRejections) {
      validateBoolean(opts.captureRejections, 'options.captureRejections');
      this[kCapture] = Boolean(opts.captureRejections);
    } else {
      // Assigning the kCapture property directly saves an expensive
      // lookup for the prototype chain.
      this[kCapture] = EventEmitter.prototype[kCapture];
    }
  };

  function addCatch(that, promise, type, args) {
    if (!that[kCapture]) {
      return;
    }

    // Handle Promises/A+ spec, then could be a getter that throws on second use.
    try {
      const then = promise.then;

      if (typeof then === 'function') {
        then.call(promise, undefined, function (err) {
          // The callback is called with nextTick to avoid a follow-up
          // rejection from this promise.
          enqueue(() => emitUnhandledRejectionOrErr(that, err, type, args));
        });
      }
    } catch (err) {
      that.emit('error', err);
    }
  }

  function emitUnhandledRejectionOrErr(ee, err, type, args) {
    if (typeof ee[kRejection] === 'function') {
      ee[kRejection](err, type, ...args);
    } else {
      // We have to disable the capture rejections mechanism, otherwise
      // we might end up in an infinite loop.
      const prev = ee[kCapture];

      // If the error handler throws, it is not catchable and it will end up in
      // 'uncaughtException'. We restore the previous value of kCapture in case
      // the uncaughtException is present and the exception is handled.
      try {
        ee[kCapture] = false;
        ee.emit('error', err);
      } finally {
        ee[kCapture] = prev;
      }
    }
  }

  EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
    validateNumber(n, 'setMaxListeners', 0);
    this._maxListeners = n;
    return this;
  };

  function _getMaxListeners(that) {
    if (that._maxListeners === undefined)
      return EventEmitter.defaultMaxListeners;
    return that._maxListeners;
  }

  EventEmitter.prototype.getMaxListeners = function getMaxListeners() {
    return _getMaxListeners(this);
  };

  EventEmitter.prototype.emit = function emit(type, ...args) {
    let doError = (type === 'error');

    const events = this._events;
    if (events !== undefined) {
      if (doError && events[kErrorMonitor] !== undefined)
        this.emit(kErrorMonitor, ...args);
      doError = (doError && events.error === undefined);
    } else if (!doError)
      return false;

    // If there is no 'error' event listener then throw.
    if (doError) {
      let er;
      if (args.length > 0)
        er = args[0];
      if (er instanceof Error) {
        throw er; // Unhandled 'error' event
      }

      let stringifiedEr;
      try {
        stringifiedEr = inspect(er);
      } catch {
        stringifiedEr = er;
      }

      // At least give some kind of context to the user
      const err = codedError(Error, 'ERR_UNHANDLED_ERROR',
        stringifiedEr === undefined ? 'Unhandled error.' : `Unhandled error. (${stringifiedEr})`);
      err.context = er;
      throw err; // Unhandled 'error' event
    }

    const handler = events[type];

    if (handler === undefined)
      return false;

    if (typeof handler === 'function') {
      const result = handler.apply(this, args);

      // We check if result is undefined first because that
      // is the most common case so we do not pay any perf
      // penalty
      if (result !== undefined && result !== null) {
        addCatch(this, result, type, args);
      }
    } else {
      const len = handler.length;
      const listeners = arrayClone(handler);
      for (let i = 0; i < len; ++i) {
        const result = listeners[i].apply(this, args);

        // We check if result is undefined first because that
        // is the most common case so we do not pay any perf
        // penalty.
        // This code is duplicated because extracting it away
        // would make it non-inlineable.
        if (result !== undefined && result !== null) {
          addCatch(this, result, type, args);
        }
      }
    }

    return true;
  };

  function warnMaxListeners(target, type, existing, m) {
    const message = `Possible EventEmitter memory leak detected. ${existing.length} ${String(type)} listeners ` +
      `added to ${inspect(target, { depth: -1 })}. MaxListeners is ${m}. Use emitter.setMaxListeners() to increase limit`;
    const w = new Error(message);
    w.name = 'MaxListenersExceededWarning';
    w.emitter = target;
    w.type = type;
    w.count = existing.length;
    if (typeof internal.warn === 'function') {
      internal.warn(`MaxListenersExceededWarning: ${message}`, w);
    }
  }

  function _addListener(target, type, listener, prepend) {
    let m;
    let events;
    let existing;

    checkListener(listener);

    events = target._events;
    if (events === undefined) {
      events = target._events = { __proto__: null };
      target._eventsCount = 0;
    } else {
      // To avoid recursion in the case that type === "newListener"! Before
      // adding it to the listeners, first emit "newListener".
      if (events.newListener !== undefined) {
        target.emit('newListener', type, listener.listener ?? listener);

        // Re-assign `events` because a newListener handler could have caused the
        // this._events to be assigned to a new object
        events = target._events;
      }
      existing = events[type];
    }

    if (existing === undefined) {
      // Optimize the case of one listener. Don't need the extra array object.
      events[type] = listener;
      ++target._eventsCount;
    } else {
      if (typeof existing === 'function') {
        // Adding the second element, need to change to array.
        existing = events[type] =
          prepend ? [listener, existing] : [existing, listener];
        // If we've already got an array, just append.
      } else if (prepend) {
        existing.unshift(listener);
      } else {
        existing.push(listener);
      }

      // Check for listener leak
      m = _getMaxListeners(target);
      if (m > 0 && existing.length > m && !existing.warned) {
        existing.warned = true;
        warnMaxListeners(target, type, existing, m);
      }
    }

    return target;
  }

  EventEmitter.prototype.addListener = function addListener(type, listener) {
    return _addListener(this, type, listener, false);
  };

  EventEmitter.prototype.on = EventEmitter.prototype.addListener;

  EventEmitter.prototype.prependListener = function prependListener(type, listener) {
    return _addListener(this, type, listener, true);
  };

  function onceWrapper() {
    if (!this.fired) {
      this.target.removeListener(this.type, this.wrapFn);
      this.fired = true;
      if (arguments.length === 0)
        return this.listener.call(this.target);
      return this.listener.apply(this.target, arguments);
    }
  }

  function _onceWrap(target, type, listener) {
    const state = { fired: false, wrapFn: undefined, target, type, listener };
    const wrapped = onceWrapper.bind(state);
    wrapped.listener = listener;
    state.wrapFn = wrapped;
    return wrapped;
  }

  EventEmitter.prototype.once = function once(type, listener) {
    checkListener(listener);

    this.on(type, _onceWrap(this, type, listener));
    return this;
  };

  EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
    checkListener(listener);

    this.prependListener(type, _onceWrap(this, type, listener));
    return this;
  };

  EventEmitter.prototype.removeListener = function removeListener(type, listener) {
    checkListener(listener);

    if (!hasEventListener(this, type))
      return this;

    const events = this._events;
    const list = events[type];

    if (list === listener || list.listener === listener) {
      this._eventsCount -= 1;

      if (this[kShapeMode]) {
        events[type] = undefined;
      } else if (this._eventsCount === 0) {
        this._events = { __proto__: null };
      } else {
        delete events[type];
        if (events.removeListener)
          this.emit('removeListener', type, list.listener || listener);
      }
    } else if (typeof list !== 'function') {
      let position = -1;

      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i] === listener || list[i].listener === listener) {
          position = i;
          break;
        }
      }

      if (position < 0)
        return this;

      if (position === 0)
        list.shift();
      else
        spliceOne(list, position);

      if (list.length === 1)
        events[type] = list[0];

      if (events.removeListener !== undefined)
        this.emit('removeListener', type, listener);
    }

    return this;
  };

  EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

  EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
    if (!hasEventListener(this))
      return this;
    const events = this._events;

    // Not listening for removeListener, no need to emit
    if (events.removeListener === undefined) {
      if (arguments.length === 0) {
        this._events = { __proto__: null };
        this._eventsCount = 0;
      } else if (events[type] !== undefined) {
        if (--this._eventsCount === 0)
          this._events = { __proto__: null };
        else
          delete events[type];
      }
      this[kShapeMode] = false;
      return this;
    }

    // Emit removeListener for all listeners on all events
    if (arguments.length === 0) {
      for (const key of Reflect.ownKeys(events)) {
        if (key === 'removeListener') continue;
        this.removeAllListeners(key);
      }
      this.removeAllListeners('removeListener');
      this._events = { __proto__: null };
      this._eventsCount = 0;
      this[kShapeMode] = false;
      return this;
    }

    const listeners = events[type];

    if (typeof listeners === 'function') {
      this.removeListener(type, listeners);
    } else if (listeners !== undefined) {
      // LIFO order
      for (let i = listeners.length - 1; i >= 0; i--) {
        this.removeListener(type, listeners[i]);
      }
    }

    return this;
  };

  function _listeners(target, type, unwrap) {
    if (!hasEventListener(target, type))
      return [];

    const evlistener = target._events[type];

    if (typeof evlistener === 'function')
      return unwrap ? [evlistener.listener || evlistener] : [evlistener];

    return unwrap ? unwrapListeners(evlistener) : arrayClone(evlistener);
  }

  EventEmitter.prototype.listeners = function listeners(type) {
    return _listeners(this, type, true);
  };

  EventEmitter.prototype.rawListeners = function rawListeners(type) {
    return _listeners(this, type, false);
  };

  EventEmitter.listenerCount = function (emitter, type) {
    if (typeof emitter.listenerCount === 'function') {
      return emitter.listenerCount(type);
    }
    return listenerCount.call(emitter, type);
  };

  EventEmitter.prototype.listenerCount = listenerCount;

  function listenerCount(type, listener) {
    const events = this._events;

    if (events !== undefined) {
      const evlistener = events[type];

      if (typeof evlistener === 'function') {
        if (listener != null) {
          return listener === evlistener || listener === evlistener.listener ? 1 : 0;
        }

        return 1;
      } else if (evlistener !== undefined) {
        if (listener != null) {
          let matching = 0;

          for (let i = 0, l = evlistener.length; i < l; i++) {
            if (evlistener[i] === listener || evlistener[i].listener === listener) {
              matching++;
            }
          }

          return matching;
        }

        return evlistener.length;
      }
    }

    return 0;
  }

  EventEmitter.prototype.eventNames = function eventNames() {
    return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
  };

  function arrayClone(arr) {
    return arr.slice();
  }

  function spliceOne(list, index) {
    for (; index + 1 < list.length; index++)
      list[index] = list[index + 1];
    list.pop();
  }

  function unwrapListeners(arr) {
    const ret = arrayClone(arr);
    for (let i = 0; i < ret.length; ++i) {
      const orig = ret[i].listener;
      if (typeof orig === 'function')
        ret[i] = orig;
    }
    return ret;
  }

  function getEventListeners(emitterOrTarget, type) {
    if (emitterOrTarget != null && typeof emitterOrTarget.listeners === 'function') {
      return emitterOrTarget.listeners(type);
    }
    throw invalidArgType('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
  }

  function getMaxListeners(emitterOrTarget) {
    if (typeof emitterOrTarget?.getMaxListeners === 'function') {
      return _getMaxListeners(emitterOrTarget);
    } else if (emitterOrTarget?.[kMaxEventTargetListeners]) {
      return emitterOrTarget[kMaxEventTargetListeners];
    }
    throw invalidArgType('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget);
  }

  function eventTargetAgnosticRemoveListener(emitter, name, listener, flags) {
    if (typeof emitter.removeListener === 'function') {
      emitter.removeListener(name, listener);
    } else if (typeof emitter.removeEventListener === 'function') {
      emitter.removeEventListener(name, listener, flags);
    } else {
      throw invalidArgType('emitter', 'EventEmitter', emitter);
    }
  }

  function eventTargetAgnosticAddListener(emitter, name, listener, flags) {
    if (typeof emitter.on === 'function') {
      if (flags?.once) {
        emitter.once(name, listener);
      } else {
        emitter.on(name, listener);
      }
    } else if (typeof emitter.addEventListener === 'function') {
      emitter.addEventListener(name, listener, flags);
    } else {
      throw invalidArgType('emitter', 'EventEmitter', emitter);
    }
  }

  // Returns a Promise that resolves with the array of arguments of the next
  // `name` event (or rejects with the next 'error' event).
  async function once(emitter, name, options = {}) {
    const signal = options?.signal;
    validateAbortSignal(signal, 'options.signal');
    if (signal?.aborted)
      throw new AbortError(undefined, { cause: signal?.reason });
    return new Promise((resolve, reject) => {
      const errorListener = (err) => {
        emitter.removeListener(name, resolver);
        if (signal != null) {
          eventTargetAgnosticRemoveListener(signal, 'abort', abortListener);
        }
        reject(err);
      };
      const resolver = (...args) => {
        if (typeof emitter.removeListener === 'function') {
          emitter.removeListener('error', errorListener);
        }
        if (signal != null) {
          eventTargetAgnosticRemoveListener(signal, 'abort', abortListener);
        }
        resolve(args);
      };

      eventTargetAgnosticAddListener(emitter, name, resolver, { once: true });
      if (name !== 'error' && typeof emitter.once === 'function') {
        // EventTarget does not have `error` event semantics like Node
        // EventEmitters, we listen to `error` events only on EventEmitters.
        emitter.once('error', errorListener);
      }
      function abortListener() {
        eventTargetAgnosticRemoveListener(emitter, name, resolver);
        eventTargetAgnosticRemoveListener(emitter, 'error', errorListener);
        reject(new AbortError(undefined, { cause: signal?.reason }));
      }
      if (signal != null) {
        eventTargetAgnosticAddListener(signal, 'abort', abortListener, { once: true });
      }
    });
  }
})
