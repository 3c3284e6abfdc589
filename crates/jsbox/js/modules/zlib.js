// zlib: Node 20's zlib module over jsbox's native binding (src/builtins/zlib.rs:
// zlib-rs for deflate/inflate/gzip, the brotli crate for brotli). Engines live
// in a per-runtime native table; JS holds their handles.
// Differences from Node (docs/modules.md has them all): compressed bytes may
// differ from Node's zlib (they decompress the same everywhere); the callback
// and stream forms run on later turns of the event loop rather than in a
// thread pool; `params()` changes the level only; brotli large windows are
// ignored (windows stay at most 2^24) and so are NPOSTFIX/NDIRECT. The
// stream classes load `stream` on first construction.
(function (exports, require, module, internal) {
  'use strict';
  const binding = internal.binding('zlib');
  const { invalidArgType, outOfRange, codedError } = internal.errors;

  const ObjectDefineProperty = Object.defineProperty;
  const ObjectSetPrototypeOf = Object.setPrototypeOf;
  const ObjectKeys = Object.keys;
  const ObjectFreeze = Object.freeze;
  const ArrayBufferIsView = ArrayBuffer.isView;
  const Uint8ArrayCtor = Uint8Array;
  const NumberIsFinite = Number.isFinite;
  const NumberIsNaN = Number.isNaN;
  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
  const call = (fn, self, ...args) => Reflect.apply(fn, self, args);
  const typedArrayBuffer = getter(TypedArrayPrototype, 'buffer');
  const typedArrayOffset = getter(TypedArrayPrototype, 'byteOffset');
  const typedArrayByteLength = getter(TypedArrayPrototype, 'byteLength');
  const typedArraySubarray = TypedArrayPrototype.subarray;
  const dataViewBuffer = getter(DataView.prototype, 'buffer');
  const dataViewOffset = getter(DataView.prototype, 'byteOffset');
  const dataViewByteLength = getter(DataView.prototype, 'byteLength');
  const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
  const sharedByteLength = typeof SharedArrayBuffer === 'function'
    ? getter(SharedArrayBuffer.prototype, 'byteLength') : undefined;

  const buffers = () => internal.buffer;
  const kMaxLength = 2 ** 32;

  // ---- constants ----------------------------------------------------------------
  const constants = {
    Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
    Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
    Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
    Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
    Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0,
    ZLIB_VERNUM: 4880,
    DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7,
    BROTLI_DECODE: 8, BROTLI_ENCODE: 9,
    Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15,
    Z_MIN_CHUNK: 64, Z_MAX_CHUNK: Infinity, Z_DEFAULT_CHUNK: 16384,
    Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8,
    Z_MIN_LEVEL: -1, Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1,
    BROTLI_OPERATION_PROCESS: 0, BROTLI_OPERATION_FLUSH: 1, BROTLI_OPERATION_FINISH: 2,
    BROTLI_OPERATION_EMIT_METADATA: 3,
    BROTLI_PARAM_MODE: 0, BROTLI_MODE_GENERIC: 0, BROTLI_MODE_TEXT: 1, BROTLI_MODE_FONT: 2,
    BROTLI_DEFAULT_MODE: 0, BROTLI_PARAM_QUALITY: 1, BROTLI_MIN_QUALITY: 0, BROTLI_MAX_QUALITY: 11,
    BROTLI_DEFAULT_QUALITY: 11, BROTLI_PARAM_LGWIN: 2, BROTLI_MIN_WINDOW_BITS: 10,
    BROTLI_MAX_WINDOW_BITS: 24, BROTLI_LARGE_MAX_WINDOW_BITS: 30, BROTLI_DEFAULT_WINDOW: 22,
    BROTLI_PARAM_LGBLOCK: 3, BROTLI_MIN_INPUT_BLOCK_BITS: 16, BROTLI_MAX_INPUT_BLOCK_BITS: 24,
    BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING: 4, BROTLI_PARAM_SIZE_HINT: 5,
    BROTLI_PARAM_LARGE_WINDOW: 6, BROTLI_PARAM_NPOSTFIX: 7, BROTLI_PARAM_NDIRECT: 8,
    BROTLI_DECODER_RESULT_ERROR: 0, BROTLI_DECODER_RESULT_SUCCESS: 1,
    BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: 2, BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: 3,
    BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION: 0, BROTLI_DECODER_PARAM_LARGE_WINDOW: 1,
    BROTLI_DECODER_NO_ERROR: 0, BROTLI_DECODER_SUCCESS: 1, BROTLI_DECODER_NEEDS_MORE_INPUT: 2,
    BROTLI_DECODER_NEEDS_MORE_OUTPUT: 3,
    BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE: -1, BROTLI_DECODER_ERROR_FORMAT_RESERVED: -2,
    BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE: -3,
    BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET: -4,
    BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME: -5, BROTLI_DECODER_ERROR_FORMAT_CL_SPACE: -6,
    BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE: -7, BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT: -8,
    BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1: -9, BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2: -10,
    BROTLI_DECODER_ERROR_FORMAT_TRANSFORM: -11, BROTLI_DECODER_ERROR_FORMAT_DICTIONARY: -12,
    BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS: -13, BROTLI_DECODER_ERROR_FORMAT_PADDING_1: -14,
    BROTLI_DECODER_ERROR_FORMAT_PADDING_2: -15, BROTLI_DECODER_ERROR_FORMAT_DISTANCE: -16,
    BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET: -19, BROTLI_DECODER_ERROR_INVALID_ARGUMENTS: -20,
    BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES: -21, BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS: -22,
    BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP: -25, BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1: -26,
    BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2: -27, BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES: -30,
    BROTLI_DECODER_ERROR_UNREACHABLE: -31,
  };
  const C = { __proto__: null, ...constants };

  const codes = {
    Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
    Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
  };
  for (const name of ObjectKeys(codes)) codes[codes[name]] = name;
  ObjectFreeze(codes);

  // ---- inputs ---------------------------------------------------------------------
  function hasSlot(get, value) {
    if (get === undefined || value === null || typeof value !== 'object') return false;
    try { call(get, value); return true; } catch { return false; }
  }
  const isAnyArrayBuffer = (value) =>
    hasSlot(arrayBufferByteLength, value) || hasSlot(sharedByteLength, value);
  const isTypedArray = (value) => hasSlot(typedArrayByteLength, value);

  // The bytes of a view or ArrayBuffer as a Uint8Array over the same memory,
  // read through the intrinsic getters (a script's own getters are not asked).
  function viewBytes(value) {
    try {
      return viewBytesOf(value);
    } catch {
      // A detached buffer: no bytes, as in Node.
      return new Uint8ArrayCtor(0);
    }
  }
  function viewBytesOf(value) {
    if (isTypedArray(value)) {
      return new Uint8ArrayCtor(call(typedArrayBuffer, value), call(typedArrayOffset, value),
        call(typedArrayByteLength, value));
    }
    if (ArrayBufferIsView(value)) {
      return new Uint8ArrayCtor(call(dataViewBuffer, value), call(dataViewOffset, value),
        call(dataViewByteLength, value));
    }
    return new Uint8ArrayCtor(value);
  }

  // The input of the sync and callback forms, as a Uint8Array.
  function inputBytes(value, name, types) {
    if (typeof value === 'string') return buffers().encode(value, 'utf8');
    if (ArrayBufferIsView(value) || isAnyArrayBuffer(value)) return viewBytes(value);
    throw invalidArgType(name, types, value);
  }
  const syncTypes = ['string', 'Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'];
  const chunkTypes = ['string', 'Buffer', 'TypedArray', 'DataView'];

  const toBuffer = (u8) => buffers().toBuffer(u8);

  // ---- options --------------------------------------------------------------------
  // A finite number (true), undefined or NaN (false: use the default).
  function checkFiniteNumber(value, name) {
    if (value === undefined) return false;
    if (NumberIsFinite(value)) return true;
    if (NumberIsNaN(value)) return false;
    if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
    throw outOfRange(name, 'a finite number', value);
  }

  function rangeOrDefault(value, name, lower, upper, fallback) {
    if (!checkFiniteNumber(value, name)) return fallback;
    if (value < lower || value > upper) {
      throw outOfRange(name, `>= ${lower} and <= ${upper}`, value);
    }
    return value;
  }

  // Everything an engine is made from, read from the options once.
  function readOptions(opts, mode) {
    if (opts === null || typeof opts !== 'object') opts = {};
    const brotli = mode === C.BROTLI_ENCODE || mode === C.BROTLI_DECODE;
    let chunkSize = opts.chunkSize;
    if (!checkFiniteNumber(chunkSize, 'options.chunkSize')) {
      chunkSize = C.Z_DEFAULT_CHUNK;
    } else if (chunkSize < C.Z_MIN_CHUNK) {
      throw outOfRange('options.chunkSize', `>= ${C.Z_MIN_CHUNK}`, chunkSize);
    }
    const maxFlush = brotli ? C.BROTLI_OPERATION_EMIT_METADATA : C.Z_BLOCK;
    const flush = rangeOrDefault(opts.flush, 'options.flush', 0, maxFlush,
      brotli ? C.BROTLI_OPERATION_PROCESS : C.Z_NO_FLUSH);
    const finishFlush = rangeOrDefault(opts.finishFlush, 'options.finishFlush', 0, maxFlush,
      brotli ? C.BROTLI_OPERATION_FINISH : C.Z_FINISH);
    const maxOutputLength = rangeOrDefault(opts.maxOutputLength, 'options.maxOutputLength', 1,
      kMaxLength, kMaxLength);
    const o = {
      __proto__: null, mode, chunkSize: Math.trunc(chunkSize), flush, finishFlush,
      maxOutputLength, info: !!opts.info,
    };
    if (brotli) {
      const params = [];
      if (opts.params !== undefined && opts.params !== null) {
        for (const origKey of ObjectKeys(opts.params)) {
          const key = +origKey;
          if (NumberIsNaN(key) || key < 0 || key > 8 || (key | 0) !== key) {
            throw codedError(RangeError, 'ERR_BROTLI_INVALID_PARAM',
              `${origKey} is not a valid Brotli parameter`);
          }
          const value = opts.params[origKey];
          if (typeof value !== 'number' && typeof value !== 'boolean') {
            throw invalidArgType('options.params[key]', 'number', value);
          }
          params.push(key, +value >>> 0);
        }
      }
      o.params = params;
      return o;
    }
    let windowBits = opts.windowBits;
    if (windowBits === 0 && (mode === C.INFLATE || mode === C.GUNZIP || mode === C.UNZIP)) {
      windowBits = 0;
    } else {
      const lower = mode === C.GZIP ? 9 : C.Z_MIN_WINDOWBITS;
      windowBits = rangeOrDefault(windowBits, 'options.windowBits', lower, C.Z_MAX_WINDOWBITS,
        C.Z_DEFAULT_WINDOWBITS);
    }
    o.windowBits = Math.trunc(windowBits);
    o.level = Math.trunc(rangeOrDefault(opts.level, 'options.level', C.Z_MIN_LEVEL, C.Z_MAX_LEVEL,
      C.Z_DEFAULT_COMPRESSION));
    o.memLevel = Math.trunc(rangeOrDefault(opts.memLevel, 'options.memLevel', C.Z_MIN_MEMLEVEL,
      C.Z_MAX_MEMLEVEL, C.Z_DEFAULT_MEMLEVEL));
    o.strategy = Math.trunc(rangeOrDefault(opts.strategy, 'options.strategy', 0, C.Z_FIXED,
      C.Z_DEFAULT_STRATEGY));
    const dictionary = opts.dictionary;
    if (dictionary !== undefined) {
      if (!ArrayBufferIsView(dictionary) && !isAnyArrayBuffer(dictionary)) {
        throw invalidArgType('options.dictionary', ['Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'],
          dictionary);
      }
      o.dictionary = viewBytes(dictionary);
    }
    return o;
  }

  // ---- engines ----------------------------------------------------------------------
  // The native state behind one stream or one-shot call: a handle into the
  // runtime's table, freed on end, error, destroy or collection.
  const registry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => binding.free(handle)) : undefined;

  class Engine {
    constructor(o) {
      this.mode = o.mode;
      this.handle = (o.mode === C.BROTLI_ENCODE || o.mode === C.BROTLI_DECODE)
        ? binding.brotliInit(o.mode, o.params)
        : binding.init(o.mode, o.level, o.windowBits, o.memLevel, o.strategy, o.dictionary);
      if (this.handle === 0) {
        throw codedError(Error, 'ERR_ZLIB_INITIALIZATION_FAILED', 'Initialization failed');
      }
      this.token = { __proto__: null };
      if (registry) registry.register(this, this.handle, this.token);
    }

    // The output for `bytes` with `flush` (at most `limit` bytes), as a
    // Buffer, or Node's Error (then the engine is gone).
    write(bytes, flush, limit) {
      const r = this.writeSome(bytes, flush, 0, limit);
      return r instanceof Error ? r : r.out;
    }

    // Some of the output for `bytes` (at most `soft` bytes, unless 0):
    // {out, consumed, more}, `more` true while output is left (call again
    // with the bytes not consumed); or Node's Error.
    writeSome(bytes, flush, soft, limit = kMaxLength) {
      if (this.handle === 0) {
        return codedError(Error, 'ERR_ZLIB_BINDING_CLOSED', 'zlib binding closed');
      }
      const reply = binding.write(this.handle, bytes, flush, limit, soft);
      if (reply[0] !== undefined) {
        return { out: toBuffer(new Uint8ArrayCtor(reply[0])), consumed: reply[2], more: reply[3] };
      }
      this.handle = 0;
      if (registry) registry.unregister(this.token);
      if (reply[1] === 'size') {
        return codedError(RangeError, 'ERR_BUFFER_TOO_LARGE',
          `Cannot create a Buffer larger than ${reply[2]} bytes`);
      }
      return engineError(this.mode, reply[1], reply[2]);
    }

    close() {
      if (this.handle !== 0) {
        binding.free(this.handle);
        this.handle = 0;
        if (registry) registry.unregister(this.token);
      }
    }
  }

  function engineError(mode, errno, message) {
    let code;
    if ((mode === C.BROTLI_ENCODE || mode === C.BROTLI_DECODE) && errno !== C.Z_BUF_ERROR) {
      for (const name of ObjectKeys(C)) {
        if (name.startsWith('BROTLI_DECODER_ERROR_') && C[name] === errno) {
          code = 'ERR_' + name.slice('BROTLI_DECODER'.length);
        }
      }
      if (code === undefined) code = 'ERR_BROTLI_COMPRESSION_FAILED';
    } else {
      code = codes[errno];
    }
    const error = new Error(message);
    error.errno = errno;
    error.code = code;
    return error;
  }

  // One whole input through a new engine (the sync forms): the Buffer, or
  // {buffer, engine} with `info`.
  function processWhole(o, bytes, engineObject) {
    const engine = engineObject ? engineObject[kEngine] : new Engine(o);
    let out;
    try {
      out = engine.write(bytes, o.finishFlush, o.maxOutputLength);
    } finally {
      engine.close();
    }
    if (out instanceof Error) throw out;
    if (o.info) return { buffer: out, engine: engineObject || engine };
    return out;
  }

  function syncForm(mode, Ctor) {
    return function (buffer, opts) {
      const bytes = inputBytes(buffer, 'buffer', syncTypes);
      const o = readOptions(opts, mode);
      // With `info` the engine is a stream object, as in Node.
      const engineObject = o.info && streamAvailable() ? new Ctor(opts) : undefined;
      return processWhole(o, bytes, engineObject);
    };
  }

  function callbackForm(mode) {
    return function (buffer, opts, callback) {
      if (typeof opts === 'function') {
        callback = opts;
        opts = {};
      }
      if (typeof callback !== 'function') throw invalidArgType('callback', 'Function', callback);
      const bytes = inputBytes(buffer, 'chunk', chunkTypes);
      const o = readOptions(opts, mode);
      // What the decoder refuses is refused now, as Node makes its engine
      // now; this one is made when it runs, so waiting calls hold no memory.
      if (mode === C.BROTLI_DECODE && o.params.some((value, i) => i % 2 === 0 && value > 1)) {
        throw codedError(Error, 'ERR_ZLIB_INITIALIZATION_FAILED', 'Initialization failed');
      }
      internal.timers.setImmediate(() => {
        let engine;
        let result;
        try {
          engine = new Engine(o);
          const out = engine.write(bytes, o.finishFlush, o.maxOutputLength);
          if (out instanceof Error) throw out;
          result = o.info ? { buffer: out, engine } : out;
        } catch (err) {
          if (engine) engine.close();
          callback(err);
          return;
        }
        engine.close();
        callback(null, result);
      });
    };
  }

  // ---- streams ----------------------------------------------------------------------
  const kEngine = Symbol('kEngine');
  const kOptions = Symbol('kOptions');
  let Transform;

  // Whether `stream` loads (the stream classes are made Transforms then).
  function streamAvailable() {
    if (Transform === undefined) {
      try {
        Transform = require('stream').Transform;
      } catch {
        return false;
      }
      ObjectSetPrototypeOf(ZlibBase.prototype, Transform.prototype);
      ObjectSetPrototypeOf(ZlibBase, Transform);
    }
    return true;
  }

  // Empty Buffers that, written, ask for a flush of their kind (so a flush
  // keeps its place among queued writes).
  const flushBuffers = new Map();
  function flushBuffer(kind) {
    let buffer = flushBuffers.get(kind);
    if (buffer === undefined) {
      buffer = buffers().Buffer.alloc(0);
      flushBuffers.set(kind, buffer);
    }
    return buffer;
  }
  const flushKinds = new WeakMap();

  function ZlibBase(opts, mode) {
    if (!streamAvailable()) Transform = require('stream').Transform;
    const o = readOptions(opts, mode);
    const streamOptions = { __proto__: null };
    if (opts !== null && typeof opts === 'object') {
      for (const key of ['highWaterMark', 'readableHighWaterMark', 'writableHighWaterMark',
        'encoding', 'signal', 'objectMode', 'readableObjectMode', 'writableObjectMode']) {
        if (opts[key] !== undefined) streamOptions[key] = opts[key];
      }
    }
    streamOptions.autoDestroy = true;
    Reflect.apply(Transform, this, [{ ...streamOptions, readableHighWaterMark: streamOptions.readableHighWaterMark ?? o.chunkSize }]);
    this[kOptions] = o;
    this[kEngine] = new Engine(o);
    this.bytesWritten = 0;
    this._defaultFlushFlag = o.flush;
    this._finishFlushFlag = o.finishFlush;
    this._defaultFullFlushFlag = (mode === C.BROTLI_ENCODE || mode === C.BROTLI_DECODE)
      ? C.BROTLI_OPERATION_FLUSH : C.Z_FULL_FLUSH;
    this._chunkSize = o.chunkSize;
    this._maxOutputLength = o.maxOutputLength;
    this._outBuffer = undefined;
    this._outOffset = 0;
    this._info = o.info;
    this._handle = this[kEngine];
  }

  ObjectDefineProperty(ZlibBase.prototype, '_closed', {
    __proto__: null, configurable: true, enumerable: true,
    get() { return this[kEngine] === undefined || this[kEngine].handle === 0; },
  });

  // Deprecated alias of bytesWritten.
  ObjectDefineProperty(ZlibBase.prototype, 'bytesRead', {
    __proto__: null, configurable: true, enumerable: true,
    get() { return this.bytesWritten; },
    set(value) { this.bytesWritten = value; },
  });

  ZlibBase.prototype.reset = function reset() {
    const engine = this[kEngine];
    if (engine.handle === 0) throw codedError(Error, 'ERR_ZLIB_BINDING_CLOSED', 'zlib binding closed');
    binding.reset(engine.handle);
  };

  ZlibBase.prototype.flush = function flush(kind, callback) {
    if (typeof kind === 'function' || (kind === undefined && !callback)) {
      callback = kind;
      kind = this._defaultFullFlushFlag;
    }
    if (this.writableFinished) {
      if (callback) process.nextTick(callback);
    } else if (this.writableEnded) {
      if (callback) this.once('end', callback);
    } else {
      const buffer = flushBuffer(kind);
      flushKinds.set(buffer, kind);
      this.write(buffer, '', callback);
    }
  };

  ZlibBase.prototype.close = function close(callback) {
    if (callback) require('stream').finished(this, callback);
    this.destroy();
  };

  ZlibBase.prototype._destroy = function _destroy(err, callback) {
    if (this[kEngine]) this[kEngine].close();
    callback(err);
  };

  ZlibBase.prototype._transform = function _transform(chunk, encoding, callback) {
    let flag = this._defaultFlushFlag;
    if (flushBuffers.get(flushKinds.get(chunk)) === chunk) flag = flushKinds.get(chunk);
    const ws = this._writableState;
    if (ws && (ws.ending || ws.ended) && ws.length === chunk.byteLength) flag = this._finishFlushFlag;
    processChunk(this, chunk, flag, callback);
  };

  // As in Node: the last output is made on 'prefinish' (by _flush), not here.
  ZlibBase.prototype._final = function _final(callback) {
    callback();
  };

  ZlibBase.prototype._flush = function _flush(callback) {
    processChunk(this, buffers().Buffer.alloc(0), this._finishFlushFlag, callback);
  };

  ZlibBase.prototype._processChunk = function _processChunk(chunk, flushFlag, callback) {
    if (typeof callback === 'function') {
      processChunk(this, chunk, flushFlag, callback);
      return undefined;
    }
    const out = this[kEngine].write(viewBytes(chunk), flushFlag, this._maxOutputLength);
    if (out instanceof Error) {
      this.destroy(out);
      throw out;
    }
    this.bytesWritten += chunk.byteLength;
    return out;
  };

  // Output at most this much per turn of the event loop for one written
  // chunk, so a consumer reading as it goes keeps memory bounded.
  const kOutputPerTurn = 1 << 20;

  // Feeds a chunk, pushing the output in pieces of at most chunkSize.
  function processChunk(self, chunk, flag, callback) {
    const engine = self[kEngine];
    if (engine.handle === 0) {
      callback(codedError(Error, 'ERR_ZLIB_BINDING_CLOSED', 'zlib binding closed'));
      return;
    }
    let bytes = viewBytes(chunk);
    const length = bytes.length;
    const step = () => {
      let produced = 0;
      for (;;) {
        if (self.destroyed) return;
        const r = engine.writeSome(bytes, flag, self._chunkSize);
        if (r instanceof Error) {
          callback(r);
          return;
        }
        if (r.out.length > 0) self.push(r.out);
        bytes = call(typedArraySubarray, bytes, r.consumed);
        if (!r.more) break;
        produced += r.out.length;
        if (produced >= kOutputPerTurn) {
          internal.timers.setImmediate(step);
          return;
        }
      }
      self.bytesWritten += length;
      callback();
    };
    // On a later turn, as Node's thread pool answers: 'data' never comes
    // from inside write(), and 'finish' comes before 'end'.
    internal.timers.setImmediate(step);
  }

  function Zlib(opts, mode) {
    Reflect.apply(ZlibBase, this, [opts, mode]);
    const o = this[kOptions];
    this._level = o.level;
    this._strategy = o.strategy;
  }
  ObjectSetPrototypeOf(Zlib.prototype, ZlibBase.prototype);
  ObjectSetPrototypeOf(Zlib, ZlibBase);

  Zlib.prototype.params = function params(level, strategy, callback) {
    level = rangeOrDefault(level, 'level', C.Z_MIN_LEVEL, C.Z_MAX_LEVEL, C.Z_DEFAULT_COMPRESSION);
    strategy = rangeOrDefault(strategy, 'strategy', 0, C.Z_FIXED, C.Z_DEFAULT_STRATEGY);
    if (this._level !== level || this._strategy !== strategy) {
      this.flush(C.Z_SYNC_FLUSH, () => {
        const engine = this[kEngine];
        if (engine.handle !== 0 && engine.mode !== C.BROTLI_ENCODE && engine.mode !== C.BROTLI_DECODE) {
          binding.params(engine.handle, Math.trunc(level));
        }
        this._level = level;
        this._strategy = strategy;
        if (callback) callback();
      });
    } else if (callback) {
      process.nextTick(callback);
    }
  };

  function Brotli(opts, mode) {
    Reflect.apply(ZlibBase, this, [opts, mode]);
  }
  // As in Node, a Brotli stream is a Zlib (params() is there, and does nothing).
  ObjectSetPrototypeOf(Brotli.prototype, Zlib.prototype);
  ObjectSetPrototypeOf(Brotli, Zlib);

  function define(name, mode, Base) {
    const Ctor = {
      [name]: function (opts) {
        if (!new.target) return new Ctor(opts);
        Reflect.apply(Base, this, [opts, mode]);
      },
    }[name];
    ObjectSetPrototypeOf(Ctor.prototype, Base.prototype);
    ObjectSetPrototypeOf(Ctor, Base);
    return Ctor;
  }

  const kinds = [
    ['Deflate', 'deflate', C.DEFLATE, Zlib],
    ['Inflate', 'inflate', C.INFLATE, Zlib],
    ['Gzip', 'gzip', C.GZIP, Zlib],
    ['Gunzip', 'gunzip', C.GUNZIP, Zlib],
    ['DeflateRaw', 'deflateRaw', C.DEFLATERAW, Zlib],
    ['InflateRaw', 'inflateRaw', C.INFLATERAW, Zlib],
    ['Unzip', 'unzip', C.UNZIP, Zlib],
    ['BrotliCompress', 'brotliCompress', C.BROTLI_ENCODE, Brotli],
    ['BrotliDecompress', 'brotliDecompress', C.BROTLI_DECODE, Brotli],
  ];

  function crc32(data, value = 0) {
    let bytes;
    if (typeof data === 'string') bytes = buffers().encode(data, 'utf8');
    else if (ArrayBufferIsView(data)) bytes = viewBytes(data);
    else throw invalidArgType('data', chunkTypes, data);
    if (typeof value !== 'number') throw invalidArgType('value', 'number', value);
    if (!Number.isInteger(value)) throw outOfRange('value', 'an integer', value);
    if (value < 0 || value > 4294967295) throw outOfRange('value', '>= 0 && <= 4294967295', value);
    return binding.crc32(bytes, value);
  }

  const out = { __proto__: null, crc32 };
  for (const [name, fn, mode, Base] of kinds) {
    const Ctor = define(name, mode, Base);
    out[name] = Ctor;
    out[fn] = callbackForm(mode);
    out[fn + 'Sync'] = syncForm(mode, Ctor);
    const createName = `create${name}`;
    out[createName] = { [createName]: (opts) => new Ctor(opts) }[createName];
  }
  // Node's export order.
  const order = ['crc32', 'Deflate', 'Inflate', 'Gzip', 'Gunzip', 'DeflateRaw', 'InflateRaw',
    'Unzip', 'BrotliCompress', 'BrotliDecompress', 'deflate', 'deflateSync', 'gzip', 'gzipSync',
    'deflateRaw', 'deflateRawSync', 'unzip', 'unzipSync', 'inflate', 'inflateSync', 'gunzip',
    'gunzipSync', 'inflateRaw', 'inflateRawSync', 'brotliCompress', 'brotliCompressSync',
    'brotliDecompress', 'brotliDecompressSync', 'createDeflate', 'createInflate',
    'createDeflateRaw', 'createInflateRaw', 'createGzip', 'createGunzip', 'createUnzip',
    'createBrotliCompress', 'createBrotliDecompress'];
  for (const name of order) exports[name] = out[name];
  ObjectDefineProperty(exports, 'constants', {
    __proto__: null, configurable: false, enumerable: true, value: constants,
  });
  ObjectDefineProperty(exports, 'codes', {
    __proto__: null, configurable: false, enumerable: true, writable: false, value: codes,
  });
})
