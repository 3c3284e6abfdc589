// jsbox built-in module `stream`: Node 20's streams (Readable, Writable,
// Duplex, Transform, PassThrough, pipeline, finished, Readable.from, async
// iteration), written for jsbox after Node's documented behaviour: the same
// state objects (`_readableState`, `_writableState`), the same event order
// ('data', 'readable', 'end', 'prefinish', 'finish', 'close', 'error') and the
// same deferrals through process.nextTick, so code (and subclasses) written
// for Node's streams run unchanged.
//
// The module is `Stream` (the legacy base) with the classes as properties, as
// in Node. See docs/modules.md (## stream) for what differs from Node.
(function (exports, require, module, internal) {
  'use strict';

  const EE = require('events');
  const { codedError, invalidArgType, validateFunction, validateObject } = internal.errors;
  const inspect = (value) => internal.inspect(value);
  // Captured once: a script replacing process.nextTick does not change when
  // the streams' deferred work runs (Node's streams use an internal nextTick).
  const nextTick = internal.process.nextTick;
  let BufferCtor;
  // Buffer's own implementation: whatever a script assigned to the global.
  const getBuffer = () => BufferCtor || (BufferCtor = internal.buffer.Buffer);
  let StringDecoderCtor;
  const newDecoder = (enc) =>
    new (StringDecoderCtor || (StringDecoderCtor = require('string_decoder').StringDecoder))(enc);

  const nop = () => {};
  const kPaused = Symbol('kPaused');
  const kOnFinished = Symbol('kOnFinished');
  const kDestroy = Symbol('kDestroy');
  const kConstruct = Symbol('kConstruct');
  const kCallback = Symbol('kCallback');
  const kIsDestroyed = Symbol.for('nodejs.stream.destroyed');

  // ---- errors ---------------------------------------------------------------
  const E = {
    PUSH_AFTER_EOF: () => codedError(Error, 'ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF'),
    UNSHIFT_AFTER_END: () => codedError(Error, 'ERR_STREAM_UNSHIFT_AFTER_END_EVENT',
      'stream.unshift() after end event'),
    WRITE_AFTER_END: () => codedError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end'),
    DESTROYED: (name) => codedError(Error, 'ERR_STREAM_DESTROYED',
      `Cannot call ${name} after a stream was destroyed`),
    ALREADY_FINISHED: (name) => codedError(Error, 'ERR_STREAM_ALREADY_FINISHED',
      `Cannot call ${name} after a stream was finished`),
    PREMATURE_CLOSE: () => codedError(Error, 'ERR_STREAM_PREMATURE_CLOSE', 'Premature close'),
    MULTIPLE_CALLBACK: () => codedError(Error, 'ERR_MULTIPLE_CALLBACK', 'Callback called multiple times'),
    NULL_VALUES: () => codedError(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream'),
    NOT_IMPLEMENTED: (name) => codedError(Error, 'ERR_METHOD_NOT_IMPLEMENTED',
      `The ${name} method is not implemented`),
    UNKNOWN_ENCODING: (enc) => codedError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${enc}`),
    MISSING_ARGS: (name) => codedError(TypeError, 'ERR_MISSING_ARGS', `The "${name}" argument must be specified`),
    CANNOT_PIPE: () => codedError(Error, 'ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable'),
    INVALID_ARG_VALUE: (name, value) => codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The ${name.includes('.') ? 'property' : 'argument'} '${name}' is invalid. Received ${inspect(value)}`),
    INVALID_RETURN_VALUE: (input, name, value) => codedError(TypeError, 'ERR_INVALID_RETURN_VALUE',
      `Expected ${input} to be returned from the "${name}" function but got ` +
      `${internal.errors.determineSpecificType(value)}.`),
  };

  class AbortError extends Error {
    constructor(message = 'The operation was aborted', options = undefined) {
      super(message, options);
      this.code = 'ABORT_ERR';
      this.name = 'AbortError';
    }
  }

  function aggregateTwoErrors(inner, outer) {
    if (inner && outer && inner !== outer) {
      if (Array.isArray(outer.errors)) {
        outer.errors.push(inner);
        return outer;
      }
      const err = new AggregateError([outer, inner], outer.message);
      err.code = outer.code;
      return err;
    }
    return inner || outer;
  }

  function validateAbortSignal(signal, name) {
    if (signal !== undefined &&
        (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
      throw invalidArgType(name, 'AbortSignal', signal);
    }
  }

  function onceCallback(fn) {
    let called = false;
    return function (...args) {
      if (called) return;
      called = true;
      return Reflect.apply(fn, this, args);
    };
  }

  // ---- highWaterMark ----------------------------------------------------------
  let defaultHwmBytes = 16 * 1024;
  let defaultHwmObjects = 16;

  function getDefaultHighWaterMark(objectMode) {
    return objectMode ? defaultHwmObjects : defaultHwmBytes;
  }

  function setDefaultHighWaterMark(objectMode, value) {
    if (typeof value !== 'number') throw invalidArgType('value', 'number', value);
    if (!(value >= 0)) {
      throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
        `The value of "value" is out of range. It must be >= 0. Received ${inspect(value)}`);
    }
    if (objectMode) defaultHwmObjects = value;
    else defaultHwmBytes = value;
  }

  function getHighWaterMark(options, duplexKey, isDuplex, objectMode) {
    let hwm = options.highWaterMark;
    if (hwm == null && isDuplex) hwm = options[duplexKey];
    if (hwm != null) {
      if (!Number.isInteger(hwm) || hwm < 0) {
        throw E.INVALID_ARG_VALUE(isDuplex && options.highWaterMark == null
          ? `options.${duplexKey}` : 'options.highWaterMark', hwm);
      }
      return Math.floor(hwm);
    }
    return getDefaultHighWaterMark(objectMode);
  }

  function isUint8Array(value) {
    return value instanceof Uint8Array;
  }

  // Node 20 takes any TypedArray or DataView as bytes.
  function isArrayBufferView(value) {
    return ArrayBuffer.isView(value);
  }

  function uint8ArrayToBuffer(chunk) {
    return getBuffer().from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }

  function isBufferish(chunk) {
    return getBuffer().isBuffer(chunk);
  }

  // ---- Stream (legacy base) -------------------------------------------------
  function Stream(opts) {
    EE.call(this, opts);
  }
  Object.setPrototypeOf(Stream.prototype, EE.prototype);
  Object.setPrototypeOf(Stream, EE);

  function prependListener(emitter, event, fn) {
    if (typeof emitter.prependListener === 'function') return emitter.prependListener(event, fn);
    if (!emitter._events || !emitter._events[event]) emitter.on(event, fn);
    else if (Array.isArray(emitter._events[event])) emitter._events[event].unshift(fn);
    else emitter._events[event] = [fn, emitter._events[event]];
  }

  Stream.prototype.pipe = function (dest, options) {
    const source = this;
    function ondata(chunk) {
      if (dest.writable && dest.write(chunk) === false && source.pause) source.pause();
    }
    source.on('data', ondata);
    function ondrain() {
      if (source.readable && source.resume) source.resume();
    }
    dest.on('drain', ondrain);
    if (!dest._isStdio && (!options || options.end !== false)) {
      source.on('end', onend);
      source.on('close', onclose);
    }
    let didOnEnd = false;
    function onend() {
      if (didOnEnd) return;
      didOnEnd = true;
      dest.end();
    }
    function onclose() {
      if (didOnEnd) return;
      didOnEnd = true;
      if (typeof dest.destroy === 'function') dest.destroy();
    }
    function onerror(er) {
      cleanup();
      if (EE.listenerCount(this, 'error') === 0) this.emit('error', er);
    }
    prependListener(source, 'error', onerror);
    prependListener(dest, 'error', onerror);
    function cleanup() {
      source.removeListener('data', ondata);
      dest.removeListener('drain', ondrain);
      source.removeListener('end', onend);
      source.removeListener('close', onclose);
      source.removeListener('error', onerror);
      dest.removeListener('error', onerror);
      source.removeListener('end', cleanup);
      source.removeListener('close', cleanup);
      dest.removeListener('close', cleanup);
    }
    source.on('end', cleanup);
    source.on('close', cleanup);
    dest.on('close', cleanup);
    dest.emit('pipe', source);
    return dest;
  };

  // ---- destroy / construct (shared by Readable and Writable) -----------------
  function checkError(err, w, r) {
    if (err) {
      err.stack; // eslint-disable-line no-unused-expressions
      if (w && !w.errored) w.errored = err;
      if (r && !r.errored) r.errored = err;
    }
  }

  function destroy(err, cb) {
    const r = this._readableState;
    const w = this._writableState;
    const s = w || r;
    if ((w && w.destroyed) || (r && r.destroyed)) {
      if (typeof cb === 'function') cb();
      return this;
    }
    checkError(err, w, r);
    if (w) w.destroyed = true;
    if (r) r.destroyed = true;
    if (s && !s.constructed) {
      this.once(kDestroy, function (er) {
        runDestroy(this, aggregateTwoErrors(er, err), cb);
      });
    } else {
      runDestroy(this, err, cb);
    }
    return this;
  }

  function runDestroy(self, err, cb) {
    let called = false;
    function onDestroy(err) {
      if (called) return;
      called = true;
      const r = self._readableState;
      const w = self._writableState;
      checkError(err, w, r);
      if (w) w.closed = true;
      if (r) r.closed = true;
      if (typeof cb === 'function') cb(err);
      if (err) nextTick(emitErrorCloseNT, self, err);
      else nextTick(emitCloseNT, self);
    }
    try {
      self._destroy(err || null, onDestroy);
    } catch (e) {
      onDestroy(e);
    }
  }

  function emitErrorCloseNT(self, err) {
    emitErrorNT(self, err);
    emitCloseNT(self);
  }

  function emitCloseNT(self) {
    const r = self._readableState;
    const w = self._writableState;
    if (w) w.closeEmitted = true;
    if (r) r.closeEmitted = true;
    if ((w && w.emitClose) || (r && r.emitClose)) self.emit('close');
    // end() callbacks still waiting (the stream failed in _final): they get
    // the error after 'close', as in Node 20.20.
    if (w && w[kOnFinished].length) {
      const callbacks = w[kOnFinished].splice(0);
      for (let i = 0; i < callbacks.length; i++) {
        callbacks[i](w.errored != null ? w.errored : E.DESTROYED('end'));
      }
    }
  }

  function emitErrorNT(self, err) {
    const r = self._readableState;
    const w = self._writableState;
    if ((w && w.errorEmitted) || (r && r.errorEmitted)) return;
    if (w) w.errorEmitted = true;
    if (r) r.errorEmitted = true;
    self.emit('error', err);
  }

  function undestroy() {
    const r = this._readableState;
    const w = this._writableState;
    if (r) {
      r.constructed = true;
      r.closed = false;
      r.closeEmitted = false;
      r.destroyed = false;
      r.errored = null;
      r.errorEmitted = false;
      r.reading = false;
      r.ended = r.readable === false;
      r.endEmitted = r.readable === false;
    }
    if (w) {
      w.constructed = true;
      w.destroyed = false;
      w.closed = false;
      w.closeEmitted = false;
      w.errored = null;
      w.errorEmitted = false;
      w.finalCalled = false;
      w.prefinished = false;
      w.ended = w.writable === false;
      w.ending = w.writable === false;
      w.finished = w.writable === false;
    }
  }

  function errorOrDestroy(stream, err, sync) {
    const r = stream._readableState;
    const w = stream._writableState;
    if ((w && w.destroyed) || (r && r.destroyed)) return;
    if ((r && r.autoDestroy) || (w && w.autoDestroy)) {
      stream.destroy(err);
    } else if (err) {
      err.stack; // eslint-disable-line no-unused-expressions
      if (w && !w.errored) w.errored = err;
      if (r && !r.errored) r.errored = err;
      if (sync) nextTick(emitErrorNT, stream, err);
      else emitErrorNT(stream, err);
    }
  }

  function construct(stream, cb) {
    if (typeof stream._construct !== 'function') return;
    const r = stream._readableState;
    const w = stream._writableState;
    if (r) r.constructed = false;
    if (w) w.constructed = false;
    stream.once(kConstruct, cb);
    if (stream.listenerCount(kConstruct) > 1) return; // a Duplex: started once
    nextTick(constructNT, stream);
  }

  function constructNT(stream) {
    let called = false;
    function onConstruct(err) {
      if (called) {
        errorOrDestroy(stream, err != null ? err : E.MULTIPLE_CALLBACK());
        return;
      }
      called = true;
      const r = stream._readableState;
      const w = stream._writableState;
      const s = w || r;
      if (r) r.constructed = true;
      if (w) w.constructed = true;
      if (s.destroyed) stream.emit(kDestroy, err);
      else if (err) errorOrDestroy(stream, err, true);
      else nextTick(() => stream.emit(kConstruct));
    }
    try {
      stream._construct((err) => { nextTick(onConstruct, err); });
    } catch (err) {
      nextTick(onConstruct, err);
    }
  }

  // ---- stream predicates ------------------------------------------------------
  function isReadableNodeStream(obj, strict = false) {
    return !!(obj && typeof obj.pipe === 'function' && typeof obj.on === 'function' &&
      (!strict || (typeof obj.pause === 'function' && typeof obj.resume === 'function')) &&
      (!obj._writableState || (obj._readableState && obj._readableState.readable !== false)) &&
      (!obj._writableState || obj._readableState));
  }

  function isWritableNodeStream(obj) {
    return !!(obj && typeof obj.write === 'function' && typeof obj.on === 'function' &&
      (!obj._readableState || (obj._writableState && obj._writableState.writable !== false)));
  }

  function isNodeStream(obj) {
    return !!(obj && (obj._readableState || obj._writableState ||
      (typeof obj.write === 'function' && typeof obj.on === 'function') ||
      (typeof obj.pipe === 'function' && typeof obj.on === 'function')));
  }

  function isIterable(obj, isAsync) {
    if (obj == null) return false;
    if (isAsync === true) return typeof obj[Symbol.asyncIterator] === 'function';
    if (isAsync === false) return typeof obj[Symbol.iterator] === 'function';
    return typeof obj[Symbol.asyncIterator] === 'function' || typeof obj[Symbol.iterator] === 'function';
  }

  function isDestroyed(stream) {
    if (!isNodeStream(stream)) return null;
    const state = stream._writableState || stream._readableState;
    return !!(stream.destroyed || stream[kIsDestroyed] || (state && state.destroyed));
  }

  function isWritableEnded(stream) {
    if (!isWritableNodeStream(stream)) return null;
    if (stream.writableEnded === true) return true;
    const w = stream._writableState;
    if (w && w.errored) return false;
    if (!w || typeof w.ended !== 'boolean') return null;
    return w.ended;
  }

  function isWritableFinished(stream, strict) {
    if (!isWritableNodeStream(stream)) return null;
    if (stream.writableFinished === true) return true;
    const w = stream._writableState;
    if (w && w.errored) return false;
    if (!w || typeof w.finished !== 'boolean') return null;
    return !!(w.finished || (strict === false && w.ended === true && w.length === 0));
  }

  function isReadableFinished(stream, strict) {
    if (!isReadableNodeStream(stream)) return null;
    const r = stream._readableState;
    if (r && r.errored) return false;
    if (!r || typeof r.endEmitted !== 'boolean') return null;
    return !!(r.endEmitted || (strict === false && r.ended === true && r.length === 0));
  }

  function isReadable(stream) {
    if (stream && stream[Symbol.for('nodejs.stream.readable')] != null) {
      return stream[Symbol.for('nodejs.stream.readable')];
    }
    if (!stream || typeof stream.readable !== 'boolean') return null;
    if (isDestroyed(stream)) return false;
    return isReadableNodeStream(stream) && stream.readable && !isReadableFinished(stream);
  }

  function isWritable(stream) {
    if (!stream || typeof stream.writable !== 'boolean') return null;
    if (isDestroyed(stream)) return false;
    return isWritableNodeStream(stream) && stream.writable && !isWritableEnded(stream);
  }

  function isFinished(stream, opts) {
    if (!isNodeStream(stream)) return null;
    if (isDestroyed(stream)) return true;
    if ((!opts || opts.readable !== false) && isReadable(stream)) return false;
    if ((!opts || opts.writable !== false) && isWritable(stream)) return false;
    return true;
  }

  function isWritableErrored(stream) {
    if (!isNodeStream(stream)) return null;
    if (stream.writableErrored) return stream.writableErrored;
    const w = stream._writableState;
    return (w && w.errored) != null ? w.errored : null;
  }

  function isReadableErrored(stream) {
    if (!isNodeStream(stream)) return null;
    if (stream.readableErrored) return stream.readableErrored;
    const r = stream._readableState;
    return (r && r.errored) != null ? r.errored : null;
  }

  function isClosed(stream) {
    if (!isNodeStream(stream)) return null;
    const w = stream._writableState;
    const r = stream._readableState;
    if ((w && typeof w.closed === 'boolean') || (r && typeof r.closed === 'boolean')) {
      return !!((w && w.closed) || (r && r.closed));
    }
    return null;
  }

  function willEmitClose(stream) {
    if (!isNodeStream(stream)) return false;
    const state = stream._writableState || stream._readableState;
    return !!(state && state.autoDestroy && state.emitClose && state.closed === false);
  }

  function isErrored(stream) {
    return !!(stream && (stream.errored || stream.readableErrored || stream.writableErrored ||
      (stream._writableState && stream._writableState.errorEmitted) ||
      (stream._readableState && stream._readableState.errorEmitted)));
  }

  function isDisturbed(stream) {
    return !!(stream && (stream.readableDidRead || stream.readableAborted));
  }

  function isRequest(stream) {
    return !!(stream && stream.setHeader && typeof stream.abort === 'function');
  }

  // Destroys `stream` (for pipeline and the async iterator): an unfinished
  // stream gets an AbortError unless an error is given.
  function destroyer(stream, err) {
    if (!stream || isDestroyed(stream)) return;
    if (!err && !isFinished(stream)) err = new AbortError();
    if (isRequest(stream)) stream.abort();
    else if (typeof stream.destroy === 'function') stream.destroy(err);
    else if (typeof stream.close === 'function') stream.close();
    else if (err) nextTick((s, e) => s.emit('error', e), stream, err);
    else nextTick((s) => s.emit('close'), stream);
    if (!stream.destroyed) stream[kIsDestroyed] = true;
  }

  // ---- finished (end-of-stream) ------------------------------------------------
  function eos(stream, options, callback) {
    if (arguments.length === 2) {
      callback = options;
      options = {};
    } else if (options == null) {
      options = {};
    } else {
      validateObject(options, 'options');
    }
    validateFunction(callback, 'callback');
    validateAbortSignal(options.signal, 'options.signal');
    callback = onceCallback(callback);

    if (!isNodeStream(stream)) {
      throw invalidArgType('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream);
    }

    const readable = options.readable != null ? options.readable : isReadableNodeStream(stream);
    const writable = options.writable != null ? options.writable : isWritableNodeStream(stream);
    const wState = stream._writableState;
    const rState = stream._readableState;

    const onlegacyfinish = () => {
      if (!stream.writable) onfinish();
    };

    let emitsClose = willEmitClose(stream) &&
      isReadableNodeStream(stream) === readable && isWritableNodeStream(stream) === writable;
    let writableFinished = isWritableFinished(stream, false);
    const onfinish = () => {
      writableFinished = true;
      if (stream.destroyed) emitsClose = false;
      if (emitsClose && (!stream.readable || readable)) return;
      if (!readable || readableFinished) callback.call(stream);
    };

    let readableFinished = isReadableFinished(stream, false);
    const onend = () => {
      readableFinished = true;
      if (stream.destroyed) emitsClose = false;
      if (emitsClose && (!stream.writable || writable)) return;
      if (!writable || writableFinished) callback.call(stream);
    };

    const onerror = (err) => {
      callback.call(stream, err);
    };

    let closed = isClosed(stream);
    const onclose = () => {
      closed = true;
      const errored = isWritableErrored(stream) || isReadableErrored(stream);
      if (errored && typeof errored !== 'boolean') return callback.call(stream, errored);
      if (readable && !readableFinished && isReadableNodeStream(stream, true)) {
        if (!isReadableFinished(stream, false)) return callback.call(stream, E.PREMATURE_CLOSE());
      }
      if (writable && !writableFinished) {
        if (!isWritableFinished(stream, false)) return callback.call(stream, E.PREMATURE_CLOSE());
      }
      callback.call(stream);
    };

    const onclosed = () => {
      closed = true;
      const errored = isWritableErrored(stream) || isReadableErrored(stream);
      if (errored && typeof errored !== 'boolean') return callback.call(stream, errored);
      callback.call(stream);
    };

    const onrequest = () => {
      stream.req.on('finish', onfinish);
    };

    if (isRequest(stream)) {
      stream.on('complete', onfinish);
      if (!emitsClose) stream.on('abort', onclose);
      if (stream.req) onrequest();
      else stream.on('request', onrequest);
    } else if (writable && !wState) {
      stream.on('end', onlegacyfinish);
      stream.on('close', onlegacyfinish);
    }

    if (!emitsClose && typeof stream.aborted === 'boolean') stream.on('aborted', onclose);

    stream.on('end', onend);
    stream.on('finish', onfinish);
    if (options.error !== false) stream.on('error', onerror);
    stream.on('close', onclose);

    if (closed) {
      nextTick(onclose);
    } else if ((wState && wState.errorEmitted) || (rState && rState.errorEmitted)) {
      if (!emitsClose) nextTick(onclosed);
    } else if (!readable && (!emitsClose || isReadable(stream)) &&
               (writableFinished || isWritable(stream) === false)) {
      nextTick(onclosed);
    } else if (!writable && (!emitsClose || isWritable(stream)) &&
               (readableFinished || isReadable(stream) === false)) {
      nextTick(onclosed);
    } else if (rState && stream.req && stream.aborted) {
      nextTick(onclosed);
    }

    const cleanup = () => {
      callback = nop;
      stream.removeListener('aborted', onclose);
      stream.removeListener('complete', onfinish);
      stream.removeListener('abort', onclose);
      stream.removeListener('request', onrequest);
      if (stream.req) stream.req.removeListener('finish', onfinish);
      stream.removeListener('end', onlegacyfinish);
      stream.removeListener('close', onlegacyfinish);
      stream.removeListener('finish', onfinish);
      stream.removeListener('end', onend);
      stream.removeListener('error', onerror);
      stream.removeListener('close', onclose);
    };

    if (options.signal && !closed) {
      const signal = options.signal;
      const abort = () => {
        const endCallback = callback;
        cleanup();
        endCallback.call(stream, new AbortError(undefined, { cause: signal.reason }));
      };
      if (signal.aborted) {
        nextTick(abort);
      } else {
        signal.addEventListener('abort', abort, { once: true });
        const originalCallback = callback;
        callback = onceCallback((...args) => {
          signal.removeEventListener('abort', abort);
          Reflect.apply(originalCallback, stream, args);
        });
      }
    }
    return cleanup;
  }

  function finishedPromise(stream, opts) {
    let autoCleanup = false;
    if (opts && opts.cleanup) {
      if (typeof opts.cleanup !== 'boolean') throw invalidArgType('cleanup', 'boolean', opts.cleanup);
      autoCleanup = opts.cleanup;
    }
    return new Promise((resolve, reject) => {
      const cleanup = eos(stream, opts, (err) => {
        if (autoCleanup) cleanup();
        if (err) reject(err);
        else resolve();
      });
    });
  }
  eos.finished = finishedPromise;

  // ---- Readable ---------------------------------------------------------------
  function ReadableState(options, stream, isDuplex) {
    if (typeof isDuplex !== 'boolean') isDuplex = stream instanceof Duplex;
    this.objectMode = !!(options && options.objectMode);
    if (isDuplex) this.objectMode = this.objectMode || !!(options && options.readableObjectMode);
    this.highWaterMark = options
      ? getHighWaterMark(options, 'readableHighWaterMark', isDuplex, this.objectMode)
      : getDefaultHighWaterMark(this.objectMode);
    this.buffer = [];
    this.length = 0;
    this.pipes = [];
    this.flowing = null;
    this.ended = false;
    this.endEmitted = false;
    this.reading = false;
    this.constructed = true;
    // Whether a push() happens inside _read(): then 'readable' waits a tick.
    this.sync = true;
    this.needReadable = false;
    this.emittedReadable = false;
    this.readableListening = false;
    this.resumeScheduled = false;
    this[kPaused] = null;
    this.errorEmitted = false;
    this.emitClose = !options || options.emitClose !== false;
    this.autoDestroy = !options || options.autoDestroy !== false;
    this.destroyed = false;
    this.errored = null;
    this.closed = false;
    this.closeEmitted = false;
    this.defaultEncoding = (options && options.defaultEncoding) || 'utf8';
    this.awaitDrainWriters = null;
    this.multiAwaitDrain = false;
    this.readingMore = false;
    this.dataEmitted = false;
    this.decoder = null;
    this.encoding = null;
    if (options && options.encoding) {
      this.decoder = newDecoder(options.encoding);
      this.encoding = options.encoding;
    }
  }
  Object.defineProperty(ReadableState.prototype, 'pipesCount', {
    get() { return this.pipes.length; },
  });
  Object.defineProperty(ReadableState.prototype, 'paused', {
    get() { return this[kPaused] !== false; },
    set(value) { this[kPaused] = !!value; },
  });

  function Readable(options) {
    if (!(this instanceof Readable)) return new Readable(options);
    const isDuplex = this instanceof Duplex;
    this._readableState = new ReadableState(options, this, isDuplex);
    if (options) {
      if (typeof options.read === 'function') this._read = options.read;
      if (typeof options.destroy === 'function') this._destroy = options.destroy;
      if (typeof options.construct === 'function') this._construct = options.construct;
      if (options.signal && !isDuplex) addAbortSignal(options.signal, this);
    }
    Stream.call(this, options);
    construct(this, () => {
      if (this._readableState.needReadable) maybeReadMore(this, this._readableState);
    });
  }
  Object.setPrototypeOf(Readable.prototype, Stream.prototype);
  Object.setPrototypeOf(Readable, Stream);
  Readable.ReadableState = ReadableState;

  Readable.prototype.destroy = destroy;
  Readable.prototype._undestroy = undestroy;
  Readable.prototype._destroy = function (err, cb) { cb(err); };
  Readable.prototype[EE.captureRejectionSymbol] = function (err) { this.destroy(err); };

  Readable.prototype.push = function (chunk, encoding) {
    return readableAddChunk(this, chunk, encoding, false);
  };

  Readable.prototype.unshift = function (chunk, encoding) {
    return readableAddChunk(this, chunk, encoding, true);
  };

  function readableAddChunk(stream, chunk, encoding, addToFront) {
    const state = stream._readableState;
    let err;
    if (!state.objectMode) {
      if (typeof chunk === 'string') {
        encoding = encoding || state.defaultEncoding;
        if (state.encoding !== encoding) {
          if (addToFront && state.encoding) {
            chunk = getBuffer().from(chunk, encoding).toString(state.encoding);
          } else {
            chunk = getBuffer().from(chunk, encoding);
            encoding = '';
          }
        }
      } else if (isBufferish(chunk)) {
        encoding = '';
      } else if (isArrayBufferView(chunk)) {
        chunk = uint8ArrayToBuffer(chunk);
        encoding = '';
      } else if (chunk != null) {
        err = invalidArgType('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk);
      }
    }

    if (err) {
      errorOrDestroy(stream, err);
      return false;
    } else if (chunk === null) {
      state.reading = false;
      onEofChunk(stream, state);
    } else if (state.objectMode || (chunk && chunk.length > 0)) {
      if (addToFront) {
        if (state.endEmitted) {
          errorOrDestroy(stream, E.UNSHIFT_AFTER_END());
        } else if (state.destroyed || state.errored) {
          return false;
        } else {
          addChunk(stream, state, chunk, true);
        }
      } else if (state.ended) {
        errorOrDestroy(stream, E.PUSH_AFTER_EOF());
      } else if (state.destroyed || state.errored) {
        return false;
      } else {
        state.reading = false;
        if (state.decoder && !encoding) {
          chunk = state.decoder.write(chunk);
          if (state.objectMode || chunk.length !== 0) addChunk(stream, state, chunk, false);
          else maybeReadMore(stream, state);
        } else {
          addChunk(stream, state, chunk, false);
        }
      }
    } else if (!addToFront) {
      state.reading = false;
      maybeReadMore(stream, state);
    }
    return !state.ended && (state.length < state.highWaterMark || state.length === 0);
  }

  function addChunk(stream, state, chunk, addToFront) {
    if (state.flowing && state.length === 0 && !state.sync && stream.listenerCount('data') > 0) {
      if (state.multiAwaitDrain) state.awaitDrainWriters.clear();
      else state.awaitDrainWriters = null;
      state.dataEmitted = true;
      stream.emit('data', chunk);
    } else {
      state.length += state.objectMode ? 1 : chunk.length;
      if (addToFront) state.buffer.unshift(chunk);
      else state.buffer.push(chunk);
      if (state.needReadable) emitReadable(stream);
    }
    maybeReadMore(stream, state);
  }

  Readable.prototype.isPaused = function () {
    const state = this._readableState;
    return state[kPaused] === true || state.flowing === false;
  };

  Readable.prototype.setEncoding = function (enc) {
    const decoder = newDecoder(enc);
    const state = this._readableState;
    state.decoder = decoder;
    state.encoding = decoder.encoding;
    let content = '';
    for (const data of state.buffer) content += decoder.write(data);
    state.buffer = [];
    if (content !== '') state.buffer.push(content);
    state.length = content.length;
    return this;
  };

  const MAX_HWM = 0x40000000;
  function computeNewHighWaterMark(n) {
    if (n > MAX_HWM) {
      throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
        `The value of "size" is out of range. It must be <= 1GiB. Received ${n}`);
    }
    // The next power of two.
    let hwm = 1;
    while (hwm < n) hwm *= 2;
    return hwm;
  }

  function howMuchToRead(n, state) {
    if (n <= 0 || (state.length === 0 && state.ended)) return 0;
    if (state.objectMode) return 1;
    if (Number.isNaN(n)) {
      if (state.flowing && state.length) return state.buffer[0].length;
      return state.length;
    }
    if (n <= state.length) return n;
    return state.ended ? state.length : 0;
  }

  Readable.prototype.read = function (n) {
    if (n === undefined) n = NaN;
    else if (!Number.isInteger(n)) n = Number.parseInt(n, 10);
    const state = this._readableState;
    const nOrig = n;
    if (n > state.highWaterMark) state.highWaterMark = computeNewHighWaterMark(n);
    if (n !== 0) state.emittedReadable = false;

    if (n === 0 && state.needReadable &&
        ((state.highWaterMark !== 0 ? state.length >= state.highWaterMark : state.length > 0) ||
         state.ended)) {
      if (state.length === 0 && state.ended) endReadable(this);
      else emitReadable(this);
      return null;
    }

    n = howMuchToRead(n, state);
    if (n === 0 && state.ended) {
      if (state.length === 0) endReadable(this);
      return null;
    }

    let doRead = state.needReadable;
    if (state.length === 0 || state.length - n < state.highWaterMark) doRead = true;
    if (state.ended || state.reading || state.destroyed || state.errored || !state.constructed) {
      doRead = false;
    } else if (doRead) {
      state.reading = true;
      state.sync = true;
      if (state.length === 0) state.needReadable = true;
      try {
        this._read(state.highWaterMark);
      } catch (err) {
        errorOrDestroy(this, err);
      }
      state.sync = false;
      if (!state.reading) n = howMuchToRead(nOrig, state);
    }

    let ret;
    if (n > 0) ret = fromList(n, state);
    else ret = null;

    if (ret === null) {
      state.needReadable = state.length <= state.highWaterMark;
      n = 0;
    } else {
      state.length -= n;
      if (state.multiAwaitDrain) state.awaitDrainWriters.clear();
      else state.awaitDrainWriters = null;
    }

    if (state.length === 0) {
      if (!state.ended) state.needReadable = true;
      if (nOrig !== n && state.ended) endReadable(this);
    }

    if (ret !== null && !state.errorEmitted && !state.closeEmitted) {
      state.dataEmitted = true;
      this.emit('data', ret);
    }
    return ret;
  };

  // Takes n bytes/characters (or one object) off the front of the buffer.
  function fromList(n, state) {
    if (state.length === 0) return null;
    const buf = state.buffer;
    if (state.objectMode) return buf.shift();
    if (!n || n >= state.length) {
      let ret;
      if (state.decoder) ret = buf.join('');
      else if (buf.length === 1) ret = buf[0];
      else ret = getBuffer().concat(buf, state.length);
      state.buffer = [];
      return ret;
    }
    const first = buf[0];
    if (n < first.length) {
      buf[0] = first.slice(n);
      return first.slice(0, n);
    }
    if (n === first.length) return buf.shift();
    if (state.decoder) {
      let ret = '';
      while (ret.length < n) {
        const str = buf[0];
        const need = n - ret.length;
        if (str.length <= need) {
          ret += str;
          buf.shift();
        } else {
          ret += str.slice(0, need);
          buf[0] = str.slice(need);
        }
      }
      return ret;
    }
    const ret = getBuffer().allocUnsafe(n);
    let copied = 0;
    while (copied < n) {
      const data = buf[0];
      const need = n - copied;
      if (data.length <= need) {
        ret.set(data, copied);
        copied += data.length;
        buf.shift();
      } else {
        ret.set(data.subarray(0, need), copied);
        copied += need;
        buf[0] = data.slice(need);
      }
    }
    return ret;
  }

  function onEofChunk(stream, state) {
    if (state.ended) return;
    if (state.decoder) {
      const chunk = state.decoder.end();
      if (chunk && chunk.length) {
        state.buffer.push(chunk);
        state.length += state.objectMode ? 1 : chunk.length;
      }
    }
    state.ended = true;
    if (state.sync) {
      emitReadable(stream);
    } else {
      state.needReadable = false;
      state.emittedReadable = true;
      emitReadableNT(stream);
    }
  }

  function emitReadable(stream) {
    const state = stream._readableState;
    state.needReadable = false;
    if (!state.emittedReadable) {
      state.emittedReadable = true;
      nextTick(emitReadableNT, stream);
    }
  }

  function emitReadableNT(stream) {
    const state = stream._readableState;
    if (!state.destroyed && !state.errored && (state.length || state.ended)) {
      stream.emit('readable');
      state.emittedReadable = false;
    }
    state.needReadable = !state.flowing && !state.ended && state.length <= state.highWaterMark;
    flow(stream);
  }

  function maybeReadMore(stream, state) {
    if (!state.readingMore && state.constructed) {
      state.readingMore = true;
      nextTick(maybeReadMoreNT, stream, state);
    }
  }

  function maybeReadMoreNT(stream, state) {
    while (!state.reading && !state.ended &&
           (state.length < state.highWaterMark || (state.flowing && state.length === 0))) {
      const len = state.length;
      stream.read(0);
      if (len === state.length) break;
    }
    state.readingMore = false;
  }

  Readable.prototype._read = function () {
    throw E.NOT_IMPLEMENTED('_read()');
  };

  Readable.prototype.pipe = function (dest, pipeOpts) {
    const src = this;
    const state = this._readableState;
    if (state.pipes.length === 1 && !state.multiAwaitDrain) {
      state.multiAwaitDrain = true;
      state.awaitDrainWriters = new Set(state.awaitDrainWriters ? [state.awaitDrainWriters] : []);
    }
    state.pipes.push(dest);

    const proc = internal.process;
    const doEnd = (!pipeOpts || pipeOpts.end !== false) && dest !== proc.stdout && dest !== proc.stderr;
    const endFn = doEnd ? onend : unpipe;
    if (state.endEmitted) nextTick(endFn);
    else src.once('end', endFn);

    dest.on('unpipe', onunpipe);
    function onunpipe(readable, unpipeInfo) {
      if (readable === src && unpipeInfo && unpipeInfo.hasUnpiped === false) {
        unpipeInfo.hasUnpiped = true;
        cleanup();
      }
    }

    function onend() {
      dest.end();
    }

    let ondrain;
    let cleanedUp = false;
    function cleanup() {
      dest.removeListener('close', onclose);
      dest.removeListener('finish', onfinish);
      if (ondrain) dest.removeListener('drain', ondrain);
      dest.removeListener('error', onerror);
      dest.removeListener('unpipe', onunpipe);
      src.removeListener('end', onend);
      src.removeListener('end', unpipe);
      src.removeListener('data', ondata);
      cleanedUp = true;
      if (ondrain && state.awaitDrainWriters &&
          (!dest._writableState || dest._writableState.needDrain)) {
        ondrain();
      }
    }

    function pause() {
      if (!cleanedUp) {
        if (state.pipes.length === 1 && state.pipes[0] === dest) {
          state.awaitDrainWriters = dest;
          state.multiAwaitDrain = false;
        } else if (state.pipes.length > 1 && state.pipes.includes(dest)) {
          state.awaitDrainWriters.add(dest);
        }
        src.pause();
      }
      if (!ondrain) {
        ondrain = pipeOnDrain(src, dest);
        dest.on('drain', ondrain);
      }
    }

    src.on('data', ondata);
    function ondata(chunk) {
      const ret = dest.write(chunk);
      if (ret === false) pause();
    }

    function onerror(er) {
      unpipe();
      dest.removeListener('error', onerror);
      if (dest.listenerCount('error') === 0) {
        const s = dest._writableState || dest._readableState;
        if (s && !s.errorEmitted) errorOrDestroy(dest, er);
        else dest.emit('error', er);
      }
    }
    prependListener(dest, 'error', onerror);

    function onclose() {
      dest.removeListener('finish', onfinish);
      unpipe();
    }
    dest.once('close', onclose);
    function onfinish() {
      dest.removeListener('close', onclose);
      unpipe();
    }
    dest.once('finish', onfinish);

    function unpipe() {
      src.unpipe(dest);
    }

    dest.emit('pipe', src);

    if (dest.writableNeedDrain === true) pause();
    else if (!state.flowing) src.resume();
    return dest;
  };

  function pipeOnDrain(src, dest) {
    return function pipeOnDrainFunctionResult() {
      const state = src._readableState;
      if (state.awaitDrainWriters === dest) state.awaitDrainWriters = null;
      else if (state.multiAwaitDrain) state.awaitDrainWriters.delete(dest);
      if ((!state.awaitDrainWriters || state.awaitDrainWriters.size === 0) &&
          src.listenerCount('data')) {
        src.resume();
      }
    };
  }

  Readable.prototype.unpipe = function (dest) {
    const state = this._readableState;
    const unpipeInfo = { hasUnpiped: false };
    if (state.pipes.length === 0) return this;
    if (!dest) {
      const dests = state.pipes;
      state.pipes = [];
      this.pause();
      for (let i = 0; i < dests.length; i++) dests[i].emit('unpipe', this, { hasUnpiped: false });
      return this;
    }
    const index = state.pipes.indexOf(dest);
    if (index === -1) return this;
    state.pipes.splice(index, 1);
    if (state.pipes.length === 0) this.pause();
    dest.emit('unpipe', this, unpipeInfo);
    return this;
  };

  Readable.prototype.on = function (ev, fn) {
    const res = Stream.prototype.on.call(this, ev, fn);
    const state = this._readableState;
    if (ev === 'data') {
      state.readableListening = this.listenerCount('readable') > 0;
      if (state.flowing !== false) this.resume();
    } else if (ev === 'readable') {
      if (!state.endEmitted && !state.readableListening) {
        state.readableListening = state.needReadable = true;
        state.flowing = false;
        state.emittedReadable = false;
        if (state.length) emitReadable(this);
        else if (!state.reading) nextTick((self) => self.read(0), this);
      }
    }
    return res;
  };
  Readable.prototype.addListener = Readable.prototype.on;

  Readable.prototype.removeListener = function (ev, fn) {
    const res = Stream.prototype.removeListener.call(this, ev, fn);
    if (ev === 'readable') nextTick(updateReadableListening, this);
    return res;
  };
  Readable.prototype.off = Readable.prototype.removeListener;

  Readable.prototype.removeAllListeners = function (ev) {
    const res = Reflect.apply(Stream.prototype.removeAllListeners, this, arguments);
    if (ev === 'readable' || ev === undefined) nextTick(updateReadableListening, this);
    return res;
  };

  function updateReadableListening(self) {
    const state = self._readableState;
    state.readableListening = self.listenerCount('readable') > 0;
    if (state.resumeScheduled && state[kPaused] === false) state.flowing = true;
    else if (self.listenerCount('data') > 0) self.resume();
    else if (!state.readableListening) state.flowing = null;
  }

  Readable.prototype.resume = function () {
    const state = this._readableState;
    if (!state.flowing) {
      state.flowing = !state.readableListening;
      if (!state.resumeScheduled) {
        state.resumeScheduled = true;
        nextTick(resumeNT, this, state);
      }
    }
    state[kPaused] = false;
    return this;
  };

  function resumeNT(stream, state) {
    if (!state.reading) stream.read(0);
    state.resumeScheduled = false;
    stream.emit('resume');
    flow(stream);
    if (state.flowing && !state.reading) stream.read(0);
  }

  Readable.prototype.pause = function () {
    const state = this._readableState;
    if (state.flowing !== false) {
      state.flowing = false;
      this.emit('pause');
    }
    state[kPaused] = true;
    return this;
  };

  function flow(stream) {
    const state = stream._readableState;
    while (state.flowing && stream.read() !== null);
  }

  // Legacy: reads from an old-style stream (one with 'data' events and
  // pause()) through this Readable.
  Readable.prototype.wrap = function (stream) {
    let paused = false;
    stream.on('data', (chunk) => {
      if (!this.push(chunk) && stream.pause) {
        paused = true;
        stream.pause();
      }
    });
    stream.on('end', () => { this.push(null); });
    stream.on('error', (err) => { errorOrDestroy(this, err); });
    stream.on('close', () => { this.destroy(); });
    stream.on('destroy', () => { this.destroy(); });
    this._read = () => {
      if (paused && stream.resume) {
        paused = false;
        stream.resume();
      }
    };
    for (const key of Object.keys(stream)) {
      if (this[key] === undefined && typeof stream[key] === 'function') {
        this[key] = stream[key].bind(stream);
      }
    }
    return this;
  };

  Readable.prototype[Symbol.asyncIterator] = function () {
    return streamToAsyncIterator(this);
  };

  Readable.prototype.iterator = function (options) {
    if (options !== undefined) validateObject(options, 'options');
    return streamToAsyncIterator(this, options);
  };

  function streamToAsyncIterator(stream, options) {
    if (typeof stream.read !== 'function') stream = Readable.wrap(stream, { objectMode: true });
    const iter = createAsyncIterator(stream, options);
    iter.stream = stream;
    return iter;
  }

  async function* createAsyncIterator(stream, options) {
    let callback = nop;
    function next(resolve) {
      if (this === stream) {
        callback();
        callback = nop;
      } else {
        callback = resolve;
      }
    }
    stream.on('readable', next);
    let error;
    const cleanup = eos(stream, { writable: false }, (err) => {
      error = err ? aggregateTwoErrors(error, err) : null;
      callback();
      callback = nop;
    });
    try {
      while (true) {
        const chunk = stream.destroyed ? null : stream.read();
        if (chunk !== null) yield chunk;
        else if (error) throw error;
        else if (error === null) return;
        else await new Promise(next);
      }
    } catch (err) {
      error = aggregateTwoErrors(error, err);
      throw error;
    } finally {
      if ((error || !options || options.destroyOnReturn !== false) &&
          (error === undefined || stream._readableState.autoDestroy)) {
        destroyer(stream, null);
      } else {
        stream.off('readable', next);
        cleanup();
      }
    }
  }

  function defineGetters(proto, getters) {
    for (const name of Object.keys(getters)) {
      const desc = getters[name];
      Object.defineProperty(proto, name, {
        __proto__: null,
        enumerable: false,
        configurable: true,
        get: desc.get,
        set: desc.set,
      });
    }
  }

  defineGetters(Readable.prototype, {
    readable: {
      get() {
        const r = this._readableState;
        return !!r && r.readable !== false && !r.destroyed && !r.errorEmitted && !r.endEmitted;
      },
      set(val) {
        if (this._readableState) this._readableState.readable = !!val;
      },
    },
    readableDidRead: { get() { return this._readableState.dataEmitted; } },
    readableAborted: {
      get() {
        const r = this._readableState;
        return !!(r.readable !== false && (r.destroyed || r.errored) && !r.endEmitted);
      },
    },
    readableHighWaterMark: { get() { return this._readableState.highWaterMark; } },
    readableBuffer: { get() { return this._readableState && this._readableState.buffer; } },
    readableFlowing: {
      get() { return this._readableState.flowing; },
      set(state) { if (this._readableState) this._readableState.flowing = state; },
    },
    readableLength: { get() { return this._readableState.length; } },
    readableObjectMode: { get() { return this._readableState ? this._readableState.objectMode : false; } },
    readableEncoding: { get() { return this._readableState ? this._readableState.encoding : null; } },
    errored: { get() { return this._readableState ? this._readableState.errored : null; } },
    closed: { get() { return this._readableState ? this._readableState.closed : false; } },
    destroyed: {
      get() { return this._readableState ? this._readableState.destroyed : false; },
      set(value) { if (this._readableState) this._readableState.destroyed = value; },
    },
    readableEnded: { get() { return this._readableState ? this._readableState.endEmitted : false; } },
  });

  function endReadable(stream) {
    const state = stream._readableState;
    if (!state.endEmitted) {
      state.ended = true;
      nextTick(endReadableNT, state, stream);
    }
  }

  function endReadableNT(state, stream) {
    if (!state.errored && !state.closeEmitted && !state.endEmitted && state.length === 0) {
      state.endEmitted = true;
      stream.emit('end');
      if (stream.writable && stream.allowHalfOpen === false) {
        nextTick(endWritableNT, stream);
      } else if (state.autoDestroy) {
        const w = stream._writableState;
        const autoDestroy = !w || (w.autoDestroy && (w.finished || w.writable === false));
        if (autoDestroy) stream.destroy();
      }
    }
  }

  function endWritableNT(stream) {
    if (stream.writable && !stream.writableEnded && !stream.destroyed) stream.end();
  }

  // Readable.from(iterable | async iterable | string | Buffer, options)
  Readable.from = function (iterable, opts) {
    let iterator;
    let isAsync;
    if (typeof iterable === 'string' || isBufferish(iterable)) {
      return new Readable({
        objectMode: true,
        ...opts,
        read() {
          this.push(iterable);
          this.push(null);
        },
      });
    }
    if (iterable && typeof iterable[Symbol.asyncIterator] === 'function') {
      isAsync = true;
      iterator = iterable[Symbol.asyncIterator]();
    } else if (iterable && typeof iterable[Symbol.iterator] === 'function') {
      isAsync = false;
      iterator = iterable[Symbol.iterator]();
    } else {
      throw invalidArgType('iterable', ['Iterable'], iterable);
    }

    const readable = new Readable({ objectMode: true, highWaterMark: 1, ...opts });
    let reading = false;

    readable._read = function () {
      if (!reading) {
        reading = true;
        next();
      }
    };

    readable._destroy = function (error, cb) {
      close(error).then(
        () => nextTick(cb, error),
        (e) => nextTick(cb, e || error),
      );
    };

    async function close(error) {
      const hadError = error !== undefined && error !== null;
      const hasThrow = typeof iterator.throw === 'function';
      if (hadError && hasThrow) {
        const { value, done } = await iterator.throw(error);
        await value;
        if (done) return;
      }
      if (typeof iterator.return === 'function') {
        const { value } = await iterator.return();
        await value;
      }
    }

    async function next() {
      for (;;) {
        try {
          const { value, done } = isAsync ? await iterator.next() : iterator.next();
          if (done) {
            readable.push(null);
          } else {
            const res = (value && typeof value.then === 'function') ? await value : value;
            if (res === null) {
              reading = false;
              throw E.NULL_VALUES();
            } else if (readable.push(res)) {
              continue;
            } else {
              reading = false;
            }
          }
        } catch (err) {
          readable.destroy(err);
        }
        break;
      }
    }
    return readable;
  };

  Readable.wrap = function (src, options) {
    return new Readable({
      objectMode: src.readableObjectMode != null ? src.readableObjectMode : (src.objectMode != null ? src.objectMode : true),
      ...options,
      destroy(err, callback) {
        destroyer(src, err);
        callback(err);
      },
    }).wrap(src);
  };

  // A few of Node's (experimental) Readable helpers.
  Readable.prototype.toArray = async function toArray(options) {
    const result = [];
    for await (const chunk of this.iterator({ destroyOnReturn: true, ...options })) {
      if (options && options.signal && options.signal.aborted) throw new AbortError(undefined, { cause: options.signal.reason });
      result.push(chunk);
    }
    return result;
  };

  Readable.prototype.forEach = async function forEach(fn, options) {
    validateFunction(fn, 'fn');
    for await (const chunk of this.iterator({ destroyOnReturn: true, ...options })) {
      await fn(chunk, options);
    }
  };

  Readable.prototype.map = function map(fn, options) {
    validateFunction(fn, 'fn');
    const source = this;
    return Readable.from((async function* () {
      for await (const chunk of source) yield await fn(chunk, options);
    })(), { objectMode: true });
  };

  Readable.prototype.filter = function filter(fn, options) {
    validateFunction(fn, 'fn');
    const source = this;
    return Readable.from((async function* () {
      for await (const chunk of source) if (await fn(chunk, options)) yield chunk;
    })(), { objectMode: true });
  };

  Readable.prototype.some = async function some(fn, options) {
    validateFunction(fn, 'fn');
    for await (const chunk of this.iterator({ destroyOnReturn: true })) {
      if (await fn(chunk, options)) return true;
    }
    return false;
  };

  Readable.prototype.every = async function every(fn, options) {
    validateFunction(fn, 'fn');
    for await (const chunk of this.iterator({ destroyOnReturn: true })) {
      if (!(await fn(chunk, options))) return false;
    }
    return true;
  };

  Readable.prototype.find = async function find(fn, options) {
    validateFunction(fn, 'fn');
    for await (const chunk of this.iterator({ destroyOnReturn: true })) {
      if (await fn(chunk, options)) return chunk;
    }
    return undefined;
  };

  Readable.prototype.reduce = async function reduce(fn, ...rest) {
    validateFunction(fn, 'reducer');
    let hasInitial = rest.length > 0;
    let acc = rest[0];
    for await (const chunk of this.iterator({ destroyOnReturn: true })) {
      if (!hasInitial) {
        acc = chunk;
        hasInitial = true;
      } else {
        acc = await fn(acc, chunk);
      }
    }
    if (!hasInitial) {
      throw codedError(TypeError, 'ERR_INVALID_ARGS', 'Reduce of an empty stream requires an initial value');
    }
    return acc;
  };

  Readable.prototype.flatMap = function flatMap(fn, options) {
    validateFunction(fn, 'fn');
    const source = this;
    return Readable.from((async function* () {
      for await (const chunk of source) yield* await fn(chunk, options);
    })(), { objectMode: true });
  };

  function validateCount(number, name) {
    number = Number(number);
    if (Number.isNaN(number)) number = 0;
    if (number < 0) {
      throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
        `The value of "${name}" is out of range. It must be >= 0. Received ${number}`);
    }
    return number;
  }

  Readable.prototype.drop = function drop(number) {
    number = validateCount(number, 'number');
    const source = this;
    return Readable.from((async function* () {
      let left = number;
      for await (const chunk of source) {
        if (left-- <= 0) yield chunk;
      }
    })(), { objectMode: true });
  };

  Readable.prototype.take = function take(number) {
    number = validateCount(number, 'number');
    const source = this;
    return Readable.from((async function* () {
      let left = number;
      if (left <= 0) return;
      for await (const chunk of source) {
        yield chunk;
        if (--left <= 0) return;
      }
    })(), { objectMode: true });
  };

  // ---- Writable ---------------------------------------------------------------
  function WritableState(options, stream, isDuplex) {
    if (typeof isDuplex !== 'boolean') isDuplex = stream instanceof Duplex;
    this.objectMode = !!(options && options.objectMode);
    if (isDuplex) this.objectMode = this.objectMode || !!(options && options.writableObjectMode);
    this.highWaterMark = options
      ? getHighWaterMark(options, 'writableHighWaterMark', isDuplex, this.objectMode)
      : getDefaultHighWaterMark(this.objectMode);
    this.finalCalled = false;
    this.needDrain = false;
    this.ending = false;
    this.ended = false;
    this.finished = false;
    this.destroyed = false;
    const noDecode = !!(options && options.decodeStrings === false);
    this.decodeStrings = !noDecode;
    this.defaultEncoding = (options && options.defaultEncoding) || 'utf8';
    this.length = 0;
    this.writing = false;
    this.corked = 0;
    this.sync = true;
    this.bufferProcessing = false;
    this.onwrite = onwrite.bind(undefined, stream);
    this.writecb = null;
    this.writelen = 0;
    this.afterWriteTickInfo = null;
    resetBuffer(this);
    this.pendingcb = 0;
    this.constructed = true;
    this.prefinished = false;
    this.errorEmitted = false;
    this.emitClose = !options || options.emitClose !== false;
    this.autoDestroy = !options || options.autoDestroy !== false;
    this.errored = null;
    this.closed = false;
    this.closeEmitted = false;
    this[kOnFinished] = [];
  }

  function resetBuffer(state) {
    state.buffered = [];
    state.bufferedIndex = 0;
    state.allBuffers = true;
    state.allNoop = true;
  }

  WritableState.prototype.getBuffer = function () {
    return this.buffered.slice(this.bufferedIndex);
  };
  Object.defineProperty(WritableState.prototype, 'bufferedRequestCount', {
    get() { return this.buffered.length - this.bufferedIndex; },
  });

  function Writable(options) {
    const isDuplex = this instanceof Duplex;
    if (!isDuplex && !Function.prototype[Symbol.hasInstance].call(Writable, this)) {
      return new Writable(options);
    }
    this._writableState = new WritableState(options, this, isDuplex);
    if (options) {
      if (typeof options.write === 'function') this._write = options.write;
      if (typeof options.writev === 'function') this._writev = options.writev;
      if (typeof options.destroy === 'function') this._destroy = options.destroy;
      if (typeof options.final === 'function') this._final = options.final;
      if (typeof options.construct === 'function') this._construct = options.construct;
      if (options.signal) addAbortSignal(options.signal, this);
    }
    Stream.call(this, options);
    construct(this, () => {
      const state = this._writableState;
      if (!state.writing) clearBuffer(this, state);
      finishMaybe(this, state);
    });
  }
  Object.setPrototypeOf(Writable.prototype, Stream.prototype);
  Object.setPrototypeOf(Writable, Stream);
  Writable.WritableState = WritableState;

  // A Duplex is an instance of Writable too (it only inherits from Readable).
  Object.defineProperty(Writable, Symbol.hasInstance, {
    value: function (object) {
      if (Function.prototype[Symbol.hasInstance].call(this, object)) return true;
      if (this !== Writable) return false;
      return !!(object && object._writableState instanceof WritableState);
    },
  });

  Writable.prototype.pipe = function () {
    errorOrDestroy(this, E.CANNOT_PIPE());
  };

  function writeImpl(stream, chunk, encoding, cb) {
    const state = stream._writableState;
    if (typeof encoding === 'function') {
      cb = encoding;
      encoding = null;
    }
    if (typeof cb !== 'function') cb = nop;

    if (chunk === null) {
      throw E.NULL_VALUES();
    } else if (!state.objectMode) {
      if (!encoding) encoding = state.defaultEncoding;
      else if (encoding !== 'buffer' && !getBuffer().isEncoding(encoding)) throw E.UNKNOWN_ENCODING(encoding);
      if (typeof chunk === 'string') {
        if (state.decodeStrings !== false) {
          chunk = getBuffer().from(chunk, encoding);
          encoding = 'buffer';
        }
      } else if (isBufferish(chunk)) {
        encoding = 'buffer';
      } else if (isArrayBufferView(chunk)) {
        chunk = uint8ArrayToBuffer(chunk);
        encoding = 'buffer';
      } else {
        throw invalidArgType('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk);
      }
    }

    let err;
    if (state.ending) err = E.WRITE_AFTER_END();
    else if (state.destroyed) err = E.DESTROYED('write');

    if (err) {
      nextTick(cb, err);
      errorOrDestroy(stream, err, true);
      return err;
    }
    state.pendingcb++;
    return writeOrBuffer(stream, state, chunk, encoding, cb);
  }

  Writable.prototype.write = function (chunk, encoding, cb) {
    return writeImpl(this, chunk, encoding, cb) === true;
  };

  Writable.prototype.cork = function () {
    this._writableState.corked++;
  };

  Writable.prototype.uncork = function () {
    const state = this._writableState;
    if (state.corked) {
      state.corked--;
      if (!state.writing) clearBuffer(this, state);
    }
  };

  Writable.prototype.setDefaultEncoding = function setDefaultEncoding(encoding) {
    if (typeof encoding === 'string') encoding = encoding.toLowerCase();
    if (!getBuffer().isEncoding(encoding)) throw E.UNKNOWN_ENCODING(encoding);
    this._writableState.defaultEncoding = encoding;
    return this;
  };

  function writeOrBuffer(stream, state, chunk, encoding, callback) {
    const len = state.objectMode ? 1 : chunk.length;
    state.length += len;
    if (state.writing || state.corked || state.errored || !state.constructed) {
      state.buffered.push({ chunk, encoding, callback });
      if (state.allBuffers && encoding !== 'buffer') state.allBuffers = false;
      if (state.allNoop && callback !== nop) state.allNoop = false;
    } else {
      state.writelen = len;
      state.writecb = callback;
      state.writing = true;
      state.sync = true;
      stream._write(chunk, encoding, state.onwrite);
      state.sync = false;
    }
    // Measured after the write: one that completed synchronously leaves no
    // backpressure behind (as in Node 20.20).
    const ret = state.length < state.highWaterMark || state.length === 0;
    if (!ret) state.needDrain = true;
    return ret && !state.errored && !state.destroyed;
  }

  function doWrite(stream, state, writev, len, chunk, encoding, cb) {
    state.writelen = len;
    state.writecb = cb;
    state.writing = true;
    state.sync = true;
    if (state.destroyed) state.onwrite(E.DESTROYED('write'));
    else if (writev) stream._writev(chunk, state.onwrite);
    else stream._write(chunk, encoding, state.onwrite);
    state.sync = false;
  }

  function onwriteError(stream, state, er, cb) {
    --state.pendingcb;
    cb(er);
    errorBuffer(state);
    errorOrDestroy(stream, er);
  }

  function onwrite(stream, er) {
    const state = stream._writableState;
    const sync = state.sync;
    const cb = state.writecb;
    if (typeof cb !== 'function') {
      errorOrDestroy(stream, E.MULTIPLE_CALLBACK());
      return;
    }
    state.writing = false;
    state.writecb = null;
    state.length -= state.writelen;
    state.writelen = 0;
    if (er) {
      er.stack; // eslint-disable-line no-unused-expressions
      if (!state.errored) state.errored = er;
      if (stream._readableState && !stream._readableState.errored) stream._readableState.errored = er;
      if (sync) nextTick(onwriteError, stream, state, er, cb);
      else onwriteError(stream, state, er, cb);
    } else {
      if (state.buffered.length > state.bufferedIndex) clearBuffer(stream, state);
      if (sync && cb === nop && !state.needDrain && state.afterWriteTickInfo === null) {
        // Nothing to call back and no 'drain' due: done now (Node 20.20).
        state.pendingcb--;
        if (state.destroyed) errorBuffer(state);
      } else if (sync) {
        if (state.afterWriteTickInfo !== null && state.afterWriteTickInfo.cb === cb) {
          state.afterWriteTickInfo.count++;
        } else {
          state.afterWriteTickInfo = { count: 1, cb, stream, state };
          nextTick(afterWriteTick, state.afterWriteTickInfo);
        }
      } else {
        afterWrite(stream, state, 1, cb);
      }
    }
  }

  function afterWriteTick({ stream, state, count, cb }) {
    state.afterWriteTickInfo = null;
    return afterWrite(stream, state, count, cb);
  }

  function afterWrite(stream, state, count, cb) {
    const needDrain = !state.ending && !stream.destroyed && state.length === 0 && state.needDrain;
    if (needDrain) {
      state.needDrain = false;
      stream.emit('drain');
    }
    while (count-- > 0) {
      state.pendingcb--;
      cb(null);
    }
    if (state.destroyed) errorBuffer(state);
    // 'finish' waits a tick after the last write callback (Node 20.20).
    finishMaybe(stream, state, true);
  }

  // Fails every buffered write (the stream was destroyed or errored).
  function errorBuffer(state) {
    if (state.writing) return;
    for (let n = state.bufferedIndex; n < state.buffered.length; ++n) {
      const { chunk, callback } = state.buffered[n];
      const len = state.objectMode ? 1 : chunk.length;
      state.length -= len;
      callback(state.errored != null ? state.errored : E.DESTROYED('write'));
    }
    const onfinishCallbacks = state[kOnFinished].splice(0);
    for (let i = 0; i < onfinishCallbacks.length; i++) {
      onfinishCallbacks[i](state.errored != null ? state.errored : E.DESTROYED('end'));
    }
    resetBuffer(state);
  }

  function clearBuffer(stream, state) {
    if (state.corked || state.bufferProcessing || state.destroyed || !state.constructed) return;
    const { buffered, bufferedIndex, objectMode } = state;
    const bufferedLength = buffered.length - bufferedIndex;
    if (!bufferedLength) return;
    let i = bufferedIndex;
    state.bufferProcessing = true;
    if (bufferedLength > 1 && stream._writev) {
      state.pendingcb -= bufferedLength - 1;
      const callback = state.allNoop ? nop : (err) => {
        for (let n = i; n < buffered.length; ++n) buffered[n].callback(err);
      };
      const chunks = state.allNoop && i === 0 ? buffered : buffered.slice(i);
      chunks.allBuffers = state.allBuffers;
      doWrite(stream, state, true, state.length, chunks, '', callback);
      resetBuffer(state);
    } else {
      do {
        const { chunk, encoding, callback } = buffered[i];
        buffered[i++] = null;
        const len = objectMode ? 1 : chunk.length;
        doWrite(stream, state, false, len, chunk, encoding, callback);
      } while (i < buffered.length && !state.writing);
      if (i === buffered.length) {
        resetBuffer(state);
      } else if (i > 256) {
        buffered.splice(0, i);
        state.bufferedIndex = 0;
      } else {
        state.bufferedIndex = i;
      }
    }
    state.bufferProcessing = false;
  }

  Writable.prototype._write = function (chunk, encoding, cb) {
    if (this._writev) this._writev([{ chunk, encoding }], cb);
    else throw E.NOT_IMPLEMENTED('_write()');
  };
  Writable.prototype._writev = null;

  Writable.prototype.end = function (chunk, encoding, cb) {
    const state = this._writableState;
    if (typeof chunk === 'function') {
      cb = chunk;
      chunk = null;
      encoding = null;
    } else if (typeof encoding === 'function') {
      cb = encoding;
      encoding = null;
    }
    let err;
    if (chunk !== null && chunk !== undefined) {
      const ret = writeImpl(this, chunk, encoding);
      if (ret instanceof Error) err = ret;
    }
    if (state.corked) {
      state.corked = 1;
      this.uncork();
    }
    if (err) {
      // Reported through the write.
    } else if (!state.errored && !state.ending) {
      state.ending = true;
      finishMaybe(this, state, true);
      state.ended = true;
    } else if (state.finished) {
      err = E.ALREADY_FINISHED('end');
    } else if (state.destroyed) {
      err = E.DESTROYED('end');
    }
    if (typeof cb === 'function') {
      if (err || state.finished) nextTick(cb, err);
      else state[kOnFinished].push(cb);
    }
    return this;
  };

  function needFinish(state) {
    return state.ending && !state.destroyed && state.constructed && state.length === 0 &&
      !state.errored && state.buffered.length === 0 && !state.finished && !state.writing &&
      !state.errorEmitted && !state.closeEmitted;
  }

  function callFinal(stream, state) {
    let called = false;
    function onFinish(err) {
      if (called) {
        errorOrDestroy(stream, err != null ? err : E.MULTIPLE_CALLBACK());
        return;
      }
      called = true;
      state.pendingcb--;
      if (err) {
        const callbacks = state[kOnFinished].splice(0);
        for (let i = 0; i < callbacks.length; i++) callbacks[i](err);
        errorOrDestroy(stream, err, state.sync);
      } else if (needFinish(state)) {
        state.prefinished = true;
        stream.emit('prefinish');
        state.pendingcb++;
        nextTick(finish, stream, state);
      }
    }
    state.sync = true;
    state.pendingcb++;
    try {
      stream._final(onFinish);
    } catch (err) {
      onFinish(err);
    }
    state.sync = false;
  }

  function prefinish(stream, state) {
    if (!state.prefinished && !state.finalCalled) {
      if (typeof stream._final === 'function' && !state.destroyed) {
        state.finalCalled = true;
        callFinal(stream, state);
      } else {
        state.prefinished = true;
        stream.emit('prefinish');
      }
    }
  }

  function finishMaybe(stream, state, sync) {
    if (needFinish(state)) {
      prefinish(stream, state);
      if (state.pendingcb === 0) {
        if (sync) {
          state.pendingcb++;
          nextTick((stream, state) => {
            if (needFinish(state)) finish(stream, state);
            else state.pendingcb--;
          }, stream, state);
        } else if (needFinish(state)) {
          state.pendingcb++;
          finish(stream, state);
        }
      }
    }
  }

  function finish(stream, state) {
    state.pendingcb--;
    state.finished = true;
    // Failed meanwhile (a second _final callback): the end() callbacks get
    // the error after 'close' instead.
    if (!state.errored) {
      const callbacks = state[kOnFinished].splice(0);
      for (let i = 0; i < callbacks.length; i++) callbacks[i](null);
    }
    stream.emit('finish');
    if (state.autoDestroy) {
      const r = stream._readableState;
      const autoDestroy = !r || (r.autoDestroy && (r.endEmitted || r.readable === false));
      if (autoDestroy) stream.destroy();
    }
  }

  defineGetters(Writable.prototype, {
    closed: { get() { return this._writableState ? this._writableState.closed : false; } },
    destroyed: {
      get() { return this._writableState ? this._writableState.destroyed : false; },
      set(value) { if (this._writableState) this._writableState.destroyed = value; },
    },
    writable: {
      get() {
        const w = this._writableState;
        return !!w && w.writable !== false && !w.destroyed && !w.errored && !w.ending && !w.ended;
      },
      set(val) {
        if (this._writableState) this._writableState.writable = !!val;
      },
    },
    writableFinished: { get() { return this._writableState ? this._writableState.finished : false; } },
    writableObjectMode: { get() { return this._writableState ? this._writableState.objectMode : false; } },
    writableBuffer: { get() { return this._writableState && this._writableState.getBuffer(); } },
    writableEnded: { get() { return this._writableState ? this._writableState.ending : false; } },
    writableNeedDrain: {
      get() {
        const w = this._writableState;
        if (!w) return false;
        return !w.destroyed && !w.ending && w.needDrain;
      },
    },
    writableHighWaterMark: { get() { return this._writableState && this._writableState.highWaterMark; } },
    writableCorked: { get() { return this._writableState ? this._writableState.corked : 0; } },
    writableLength: { get() { return this._writableState && this._writableState.length; } },
    errored: { get() { return this._writableState ? this._writableState.errored : null; } },
    writableAborted: {
      get() {
        const w = this._writableState;
        return !!(w.writable !== false && (w.destroyed || w.errored) && !w.finished);
      },
    },
  });

  Writable.prototype.destroy = function (err, cb) {
    const state = this._writableState;
    // Buffered writes fail now, unless a write is in flight.
    if (!state.destroyed && (state.bufferedIndex < state.buffered.length || state[kOnFinished].length)) {
      nextTick(errorBuffer, state);
    }
    destroy.call(this, err, cb);
    return this;
  };
  Writable.prototype._undestroy = undestroy;
  Writable.prototype._destroy = function (err, cb) { cb(err); };
  Writable.prototype[EE.captureRejectionSymbol] = function (err) { this.destroy(err); };

  // ---- Duplex -----------------------------------------------------------------
  function Duplex(options) {
    if (!(this instanceof Duplex)) return new Duplex(options);
    Readable.call(this, options);
    Writable.call(this, options);
    if (options) {
      this.allowHalfOpen = options.allowHalfOpen !== false;
      if (options.readable === false) {
        this._readableState.readable = false;
        this._readableState.ended = true;
        this._readableState.endEmitted = true;
      }
      if (options.writable === false) {
        this._writableState.writable = false;
        this._writableState.ending = true;
        this._writableState.ended = true;
        this._writableState.finished = true;
      }
    } else {
      this.allowHalfOpen = true;
    }
  }
  Object.setPrototypeOf(Duplex.prototype, Readable.prototype);
  Object.setPrototypeOf(Duplex, Readable);
  // The writable side's methods and getters, where the readable side has no
  // member of that name (destroy, pipe and the shared getters stay Readable's).
  for (const key of Object.getOwnPropertyNames(Writable.prototype)) {
    if (key in Duplex.prototype || key === 'writableAborted') continue;
    Object.defineProperty(Duplex.prototype, key,
      Object.getOwnPropertyDescriptor(Writable.prototype, key));
  }

  // Buffered writes fail on destroy, as for a Writable.
  Duplex.prototype.destroy = Writable.prototype.destroy;

  defineGetters(Duplex.prototype, {
    destroyed: {
      get() {
        if (this._readableState === undefined || this._writableState === undefined) return false;
        return this._readableState.destroyed && this._writableState.destroyed;
      },
      set(value) {
        if (this._readableState && this._writableState) {
          this._readableState.destroyed = value;
          this._writableState.destroyed = value;
        }
      },
    },
  });

  Duplex.from = function (body) {
    if (isNodeStream(body) && isReadableNodeStream(body) && isWritableNodeStream(body)) return body;
    if (isIterable(body) || typeof body === 'string' || isBufferish(body)) {
      const r = Readable.from(body);
      return r;
    }
    throw invalidArgType('body', ['Blob', 'ReadableStream', 'WritableStream', 'Stream',
      'Iterable', 'AsyncIterable', 'Function', '{ readable, writable } pair', 'Promise'], body);
  };

  // ---- Transform / PassThrough ---------------------------------------------
  function Transform(options) {
    if (!(this instanceof Transform)) return new Transform(options);
    const readableHighWaterMark = options
      ? getHighWaterMark(options, 'readableHighWaterMark', true, !!(options.objectMode || options.readableObjectMode))
      : null;
    if (readableHighWaterMark === 0) {
      options = {
        ...options,
        highWaterMark: null,
        readableHighWaterMark,
        writableHighWaterMark: options.writableHighWaterMark || 0,
      };
    }
    Duplex.call(this, options);
    // A push() from _transform is never 'sync': 'readable' is not delayed.
    this._readableState.sync = false;
    this[kCallback] = null;
    if (options) {
      if (typeof options.transform === 'function') this._transform = options.transform;
      if (typeof options.flush === 'function') this._flush = options.flush;
    }
    this.on('prefinish', transformPrefinish);
  }
  Object.setPrototypeOf(Transform.prototype, Duplex.prototype);
  Object.setPrototypeOf(Transform, Duplex);

  function transformFinal(cb) {
    if (typeof this._flush === 'function' && !this.destroyed) {
      this._flush((er, data) => {
        if (er) {
          if (cb) cb(er);
          else this.destroy(er);
          return;
        }
        if (data != null) this.push(data);
        this.push(null);
        if (cb) cb();
      });
    } else {
      this.push(null);
      if (cb) cb();
    }
  }

  function transformPrefinish() {
    if (this._final !== transformFinal) transformFinal.call(this);
  }

  Transform.prototype._final = transformFinal;

  Transform.prototype._transform = function () {
    throw E.NOT_IMPLEMENTED('_transform()');
  };

  Transform.prototype._write = function (chunk, encoding, callback) {
    const rState = this._readableState;
    const wState = this._writableState;
    const length = rState.length;
    this._transform(chunk, encoding, (err, val) => {
      if (err) {
        callback(err);
        return;
      }
      if (val != null) this.push(val);
      if (wState.ended || length === rState.length || rState.length < rState.highWaterMark) {
        callback();
      } else {
        this[kCallback] = callback;
      }
    });
  };

  Transform.prototype._read = function () {
    if (this[kCallback]) {
      const callback = this[kCallback];
      this[kCallback] = null;
      callback();
    }
  };

  function PassThrough(options) {
    if (!(this instanceof PassThrough)) return new PassThrough(options);
    Transform.call(this, options);
  }
  Object.setPrototypeOf(PassThrough.prototype, Transform.prototype);
  Object.setPrototypeOf(PassThrough, Transform);
  PassThrough.prototype._transform = function (chunk, encoding, cb) {
    cb(null, chunk);
  };

  // ---- addAbortSignal ---------------------------------------------------------
  function addAbortSignal(signal, stream) {
    validateAbortSignal(signal, 'signal');
    if (!isNodeStream(stream)) {
      throw invalidArgType('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream);
    }
    const onAbort = () => {
      stream.destroy(new AbortError(undefined, { cause: signal.reason }));
    };
    if (signal.aborted) {
      onAbort();
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
      eos(stream, () => signal.removeEventListener('abort', onAbort));
    }
    return stream;
  }

  // ---- pipeline -----------------------------------------------------------------
  function popCallback(streams) {
    validateFunction(streams[streams.length - 1], 'streams[stream.length - 1]');
    return streams.pop();
  }

  function makeAsyncIterable(val) {
    if (isIterable(val)) return val;
    if (isReadableNodeStream(val)) return fromReadable(val);
    throw invalidArgType('val', ['Readable', 'Iterable', 'AsyncIterable'], val);
  }

  async function* fromReadable(val) {
    yield* Readable.prototype[Symbol.asyncIterator].call(val);
  }

  async function pumpToNode(iterable, writable, finish, { end }) {
    let error;
    let onresolve = null;
    const resume = (err) => {
      if (err) error = err;
      if (onresolve) {
        const callback = onresolve;
        onresolve = null;
        callback();
      }
    };
    const wait = () => new Promise((resolve, reject) => {
      if (error) {
        reject(error);
      } else {
        onresolve = () => {
          if (error) reject(error);
          else resolve();
        };
      }
    });
    writable.on('drain', resume);
    const cleanup = eos(writable, { readable: false }, resume);
    try {
      if (writable.writableNeedDrain) await wait();
      for await (const chunk of iterable) {
        if (!writable.write(chunk)) await wait();
      }
      if (end) {
        writable.end();
        await wait();
      }
      finish();
    } catch (err) {
      finish(error !== err ? aggregateTwoErrors(error, err) : err);
    } finally {
      cleanup();
      writable.off('drain', resume);
    }
  }

  function pipelineDestroyer(stream, reading, writing) {
    let finished = false;
    stream.on('close', () => { finished = true; });
    const cleanup = eos(stream, { readable: reading, writable: writing }, (err) => {
      finished = !err;
    });
    return {
      destroy: (err) => {
        if (finished) return;
        finished = true;
        destroyer(stream, err || E.DESTROYED('pipe'));
      },
      cleanup,
    };
  }

  function pipelineImpl(streams, callback, opts) {
    if (streams.length === 1 && Array.isArray(streams[0])) streams = streams[0];
    if (streams.length < 2) throw E.MISSING_ARGS('streams');

    const outerSignal = opts && opts.signal;
    const lastStreamCleanup = [];
    validateAbortSignal(outerSignal, 'options.signal');
    const ac = typeof AbortController === 'function' ? new AbortController() : null;
    const signal = ac ? ac.signal : undefined;
    function abort() {
      finishImpl(new AbortError(undefined, { cause: outerSignal && outerSignal.reason }));
    }
    if (outerSignal) {
      if (outerSignal.aborted) nextTick(abort);
      else outerSignal.addEventListener('abort', abort, { once: true });
    }

    let error;
    let value;
    const destroys = [];
    let finishCount = 0;

    function finish(err) {
      finishImpl(err, --finishCount === 0);
    }

    function finishImpl(err, final) {
      if (err && (!error || error.code === 'ERR_STREAM_PREMATURE_CLOSE')) error = err;
      if (!error && !final) return;
      while (destroys.length) destroys.shift()(error);
      if (outerSignal) outerSignal.removeEventListener('abort', abort);
      if (ac) ac.abort();
      if (final) {
        if (!error) lastStreamCleanup.forEach((fn) => fn());
        nextTick(callback, error, value);
      }
    }

    let ret;
    for (let i = 0; i < streams.length; i++) {
      const stream = streams[i];
      const reading = i < streams.length - 1;
      const writing = i > 0;
      const end = reading || !opts || opts.end !== false;
      const isLastStream = i === streams.length - 1;

      if (isNodeStream(stream)) {
        if (end) {
          const { destroy, cleanup } = pipelineDestroyer(stream, reading, writing);
          destroys.push(destroy);
          if (isReadable(stream) && isLastStream) lastStreamCleanup.push(cleanup);
        }
        const onError = (err) => {
          if (err && err.name !== 'AbortError' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') finish(err);
        };
        stream.on('error', onError);
        if (isReadable(stream) && isLastStream) {
          lastStreamCleanup.push(() => stream.removeListener('error', onError));
        }
      }

      if (i === 0) {
        if (typeof stream === 'function') {
          ret = stream({ signal });
          if (!isIterable(ret)) throw E.INVALID_RETURN_VALUE('Iterable, AsyncIterable or Stream', 'source', ret);
        } else if (isIterable(stream) || isReadableNodeStream(stream)) {
          ret = stream;
        } else {
          ret = Duplex.from(stream);
        }
      } else if (typeof stream === 'function') {
        ret = makeAsyncIterable(ret);
        ret = stream(ret, { signal });
        if (reading) {
          if (!isIterable(ret, true)) throw E.INVALID_RETURN_VALUE('AsyncIterable', `transform[${i - 1}]`, ret);
        } else {
          const pt = new PassThrough({ objectMode: true });
          const then = ret && ret.then;
          if (typeof then === 'function') {
            finishCount++;
            then.call(ret, (val) => {
              value = val;
              if (val != null) pt.write(val);
              if (end) pt.end();
              nextTick(finish);
            }, (err) => {
              pt.destroy(err);
              nextTick(finish, err);
            });
          } else if (isIterable(ret, true)) {
            finishCount++;
            pumpToNode(ret, pt, finish, { end });
          } else {
            throw E.INVALID_RETURN_VALUE('AsyncIterable or Promise', 'destination', ret);
          }
          ret = pt;
          const { destroy, cleanup } = pipelineDestroyer(ret, false, true);
          destroys.push(destroy);
          if (isLastStream) lastStreamCleanup.push(cleanup);
        }
      } else if (isNodeStream(stream)) {
        if (isReadableNodeStream(ret)) {
          finishCount += end ? 2 : 1;
          const cleanup = pipeInto(ret, stream, finish, { end });
          if (isReadable(stream) && isLastStream) lastStreamCleanup.push(cleanup);
        } else if (isIterable(ret)) {
          finishCount++;
          pumpToNode(ret, stream, finish, { end });
        } else {
          throw invalidArgType('val', ['Readable', 'Iterable', 'AsyncIterable', 'ReadableStream',
            'TransformStream'], ret);
        }
        ret = stream;
      } else {
        ret = Duplex.from(stream);
      }
    }
    if ((signal && signal.aborted) || (outerSignal && outerSignal.aborted)) nextTick(abort);
    return ret;
  }

  // src piped into dst; finish() is called once for each side when `end`,
  // else once when src is done (dst stays open).
  function pipeInto(src, dst, finish, { end }) {
    let ended = false;
    dst.on('close', () => {
      if (!ended) finish(E.PREMATURE_CLOSE());
    });
    src.pipe(dst, { end: false });
    const endFn = () => {
      ended = true;
      if (end) dst.end();
    };
    if (isReadableFinished(src)) nextTick(endFn);
    else src.once('end', endFn);
    eos(src, { readable: true, writable: false }, (err) => {
      const rState = src._readableState;
      if (err && err.code === 'ERR_STREAM_PREMATURE_CLOSE' && rState && rState.ended &&
          !rState.errored && !rState.errorEmitted) {
        src.once('end', endFn).once('error', finish);
      } else {
        finish(err);
      }
    });
    if (end) return eos(dst, { readable: false, writable: true }, finish);
    return nop;
  }

  function pipeline(...streams) {
    return pipelineImpl(streams, onceCallback(popCallback(streams)));
  }

  function pipelinePromise(...streams) {
    return new Promise((resolve, reject) => {
      let signal;
      let end;
      const lastArg = streams[streams.length - 1];
      if (lastArg && typeof lastArg === 'object' && !isNodeStream(lastArg) && !isIterable(lastArg)) {
        const options = streams.pop();
        signal = options.signal;
        end = options.end;
      }
      pipelineImpl(streams, (err, value) => {
        if (err) reject(err);
        else resolve(value);
      }, { signal, end });
    });
  }

  function compose(...streams) {
    if (streams.length === 0) throw E.MISSING_ARGS('streams');
    if (streams.length === 1) return Duplex.from(streams[0]);
    throw codedError(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'The compose() method is not implemented');
  }

  // ---- exports ------------------------------------------------------------------
  const promises = { pipeline: pipelinePromise, finished: finishedPromise };
  const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');

  Stream.isDisturbed = isDisturbed;
  Stream.isErrored = isErrored;
  Stream.isReadable = isReadable;
  Stream.isWritable = isWritable;
  Stream.isDestroyed = isDestroyed;
  Stream._isArrayBufferView = isArrayBufferView;
  Stream.Readable = Readable;
  Stream.Writable = Writable;
  Stream.Duplex = Duplex;
  Stream.Transform = Transform;
  Stream.PassThrough = PassThrough;
  Stream.pipeline = pipeline;
  Stream.addAbortSignal = addAbortSignal;
  Stream.finished = eos;
  Stream.destroy = destroyer;
  Stream.compose = compose;
  Stream.getDefaultHighWaterMark = getDefaultHighWaterMark;
  Stream.setDefaultHighWaterMark = setDefaultHighWaterMark;
  Object.defineProperty(Stream, 'promises', {
    __proto__: null, configurable: true, enumerable: true, get() { return promises; },
  });
  Object.defineProperty(pipeline, kCustomPromisify, {
    __proto__: null, enumerable: true, get() { return promises.pipeline; },
  });
  Object.defineProperty(eos, kCustomPromisify, {
    __proto__: null, enumerable: true, get() { return promises.finished; },
  });
  Stream.Stream = Stream;
  Stream._isUint8Array = isUint8Array;
  Stream._uint8ArrayToBuffer = uint8ArrayToBuffer;

  module.exports = Stream;
})
