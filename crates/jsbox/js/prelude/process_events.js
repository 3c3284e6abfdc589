// process's event emitter methods and process.emitWarning, loaded the first
// time a script calls one of them (see process.js).
(function (host, core) {
  'use strict';
  const { emit, codedError, describe } = core;
  const { process } = core.load('process');

  // process is an event emitter (on, once, off, emit, ...) with Node's storage
  // (`_events`), written here so that the global needs no module loaded.
  const emitterMethods = {
    on(name, listener) { return addListener(this, name, listener, false); },
    addListener(name, listener) { return addListener(this, name, listener, false); },
    prependListener(name, listener) { return addListener(this, name, listener, true); },
    once(name, listener) { return addListener(this, name, onceWrapper(this, name, listener), false); },
    prependOnceListener(name, listener) { return addListener(this, name, onceWrapper(this, name, listener), true); },
    off(name, listener) { return removeListener(this, name, listener); },
    removeListener(name, listener) { return removeListener(this, name, listener); },
    removeAllListeners(name) {
      if (name === undefined) this._events = Object.create(null);
      else delete eventsOf(this)[name];
      return this;
    },
    emit(name, ...args) {
      const list = eventsOf(this)[name];
      if (list === undefined || list.length === 0) {
        if (name === 'error') throw args[0];
        return false;
      }
      for (const listener of list.slice()) Reflect.apply(listener, this, args);
      return true;
    },
    listeners(name) { return (eventsOf(this)[name] || []).map((l) => l.listener || l); },
    rawListeners(name) { return (eventsOf(this)[name] || []).slice(); },
    listenerCount(name) { return (eventsOf(this)[name] || []).length; },
    eventNames() { return Reflect.ownKeys(eventsOf(this)).filter((n) => eventsOf(this)[n].length > 0); },
    setMaxListeners(n) { this._maxListeners = n; return this; },
    getMaxListeners() { return this._maxListeners === undefined ? 10 : this._maxListeners; },
  };
  function eventsOf(target) {
    if (target._events === undefined || target._events === null) {
      Object.defineProperty(target, '_events', {
        value: Object.create(null), writable: true, configurable: true, enumerable: false,
      });
    }
    return target._events;
  }
  function checkListener(listener) {
    if (typeof listener !== 'function') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
        'The "listener" argument must be of type function. ' + describe(listener));
    }
  }
  function addListener(target, name, listener, prepend) {
    checkListener(listener);
    const events = eventsOf(target);
    if (events.newListener !== undefined) target.emit('newListener', name, listener.listener || listener);
    const list = events[name] || (events[name] = []);
    if (prepend) list.unshift(listener); else list.push(listener);
    return target;
  }
  function onceWrapper(target, name, listener) {
    checkListener(listener);
    let fired = false;
    const wrapped = function (...args) {
      removeListener(target, name, wrapped);
      if (fired) return undefined;
      fired = true;
      return Reflect.apply(listener, this, args);
    };
    wrapped.listener = listener;
    return wrapped;
  }
  function removeListener(target, name, listener) {
    checkListener(listener);
    const events = eventsOf(target);
    const list = events[name];
    if (list === undefined) return target;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) {
        list.splice(i, 1);
        if (list.length === 0) delete events[name];
        if (events.removeListener !== undefined) target.emit('removeListener', name, listener);
        break;
      }
    }
    return target;
  }
  function emitWarning(warning, type, code, ctor) {
    let detail;
    if (type !== null && typeof type === 'object' && !Array.isArray(type)) {
      ({ type, code, detail } = type);
    } else if (typeof type === 'function') {
      type = undefined;
    } else if (typeof code === 'function') {
      code = undefined;
    }
    if (type === undefined) type = 'Warning';
    if (typeof warning === 'string') {
      const err = new Error(warning);
      err.name = String(type);
      if (code !== undefined) err.code = code;
      if (detail !== undefined) err.detail = detail;
      warning = err;
    } else if (!(warning instanceof Error)) {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
        'The "warning" argument must be of type string or an instance of Error. ' + describe(warning));
    }
    if (warning.name === 'DeprecationWarning' && process.noDeprecation) return;
    process.nextTick(() => {
      process.emit('warning', warning);
      const prefix = warning.code !== undefined ? '[' + warning.code + '] ' : '';
      let text = '(jsbox) ' + prefix + warning.name + ': ' + warning.message;
      if (typeof warning.detail === 'string') text += '\n' + warning.detail;
      emit(true, text);
    });
  }


  return { emitterMethods, emitWarning };
})
