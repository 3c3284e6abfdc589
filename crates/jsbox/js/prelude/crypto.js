// Node's crypto (v20 semantics) for hashes, HMACs, key derivation and
// randomness, loaded the first time a script requires `crypto` or reads the
// `crypto` global (the Web Crypto object). Argument handling and errors are
// here; the hashing, PBKDF2, scrypt and the OS randomness are done by the
// native `crypto` binding (src/builtins/crypto.rs). A Hash or Hmac holds an
// integer handle to its state in Rust.
//
// Differences from Node (see docs/modules.md): only the hash algorithms in
// getHashes(); no ciphers, signatures, keys, Diffie-Hellman, hkdf or
// X509Certificate; subtle only has digest().
(function (host, core) {
  'use strict';
  const binding = core.binding('crypto');
  const errors = core.load('errors');
  const { codedError, invalidArgType, outOfRange } = errors;
  const buffer = core.load('buffer');
  const { Buffer, FastBuffer } = buffer;

  const { apply: reflectApply } = Reflect;
  const { defineProperty, getPrototypeOf, getOwnPropertyDescriptor, freeze } = Object;
  const { isSafeInteger } = Number;
  const isArrayBufferView = ArrayBuffer.isView;
  const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype);
  const uncurry = (fn) => (self, ...args) => reflectApply(fn, self, args);
  const getter = (proto, name) => uncurry(getOwnPropertyDescriptor(proto, name).get);
  const typedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag);
  const typedArrayBuffer = getter(TypedArrayPrototype, 'buffer');
  const typedArrayByteOffset = getter(TypedArrayPrototype, 'byteOffset');
  const typedArrayByteLength = getter(TypedArrayPrototype, 'byteLength');
  const dataViewBuffer = getter(DataView.prototype, 'buffer');
  const dataViewByteOffset = getter(DataView.prototype, 'byteOffset');
  const dataViewByteLength = getter(DataView.prototype, 'byteLength');
  const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
  const toLowerCase = uncurry(String.prototype.toLowerCase);
  const stringPadStart = uncurry(String.prototype.padStart);
  const numberToString = uncurry(Number.prototype.toString);
  const promiseResolve = (value) => Promise.resolve(value);
  const promiseReject = (error) => Promise.reject(error);
  const queueTask = (fn) => core.load('timers').globals.setImmediate(fn);
  const DOMExceptionCtor = globalThis.DOMException;
  const Registry = typeof FinalizationRegistry === 'function' ? FinalizationRegistry : undefined;

  function isArrayBuffer(value) {
    try { arrayBufferByteLength(value); return true; } catch { return false; }
  }
  function isDataView(value) {
    try { dataViewByteLength(value); return true; } catch { return false; }
  }
  // The bytes of any ArrayBufferView (or ArrayBuffer), as a Uint8Array.
  function bytesOf(view) {
    if (isArrayBuffer(view)) return new Uint8Array(view);
    if (typedArrayTag(view) !== undefined) {
      return new Uint8Array(typedArrayBuffer(view), typedArrayByteOffset(view), typedArrayByteLength(view));
    }
    return new Uint8Array(dataViewBuffer(view), dataViewByteOffset(view), dataViewByteLength(view));
  }
  function domException(message, name) {
    return new DOMExceptionCtor(message, name);
  }

  // Data as Hash.update takes it: a string in `encoding`, or any view.
  function dataArg(data, encoding, name) {
    if (typeof data === 'string') {
      if (encoding === undefined || encoding === 'utf8' || encoding === 'utf-8') return bytesOf(buffer.encode(data, 'utf8'));
      if (typeof encoding === 'string' && data.length % 2 !== 0 && toLowerCase(encoding) === 'hex') {
        throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
          `The argument 'encoding' is invalid for data of length ${data.length}. Received 'hex'`);
      }
      return bytesOf(buffer.encode(data, buffer.isEncoding(encoding) ? encoding : 'utf8'));
    }
    if (!isArrayBufferView(data)) {
      throw invalidArgType(name, ['string', 'Buffer', 'TypedArray', 'DataView'], data);
    }
    return bytesOf(data);
  }
  // Keys, passwords and salts: strings, ArrayBuffers or views.
  function keyArg(value, name, encoding) {
    if (typeof value === 'string') return bytesOf(buffer.encode(value, encoding && buffer.isEncoding(encoding) ? encoding : 'utf8'));
    if (isArrayBufferView(value) || isArrayBuffer(value)) return bytesOf(value);
    throw invalidArgType(name, ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], value);
  }
  function toBuffer(arrayBuffer) {
    return new FastBuffer(arrayBuffer);
  }
  function output(arrayBuffer, encoding) {
    const buf = toBuffer(arrayBuffer);
    if (encoding !== undefined && encoding !== 'buffer' && buffer.isEncoding(encoding)) {
      return buf.toString(encoding);
    }
    return buf;
  }
  function validateString(value, name) {
    if (typeof value !== 'string') throw invalidArgType(name, 'string', value);
  }
  function validateFunction(value, name) {
    if (typeof value !== 'function') throw invalidArgType(name, 'Function', value);
  }
  function validateInt32(value, name, min, max) {
    if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
    if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
    if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
  }
  function hashFinalized() {
    return codedError(Error, 'ERR_CRYPTO_HASH_FINALIZED', 'Digest already called');
  }

  // Handles of hashes a script dropped without digesting them are freed
  // when their objects are collected.
  const registry = Registry ? new Registry((handle) => binding.free(handle)) : undefined;
  // (The unregister token is an object of its own: QuickJS-ng keeps a
  // target that is its own token alive.)
  const kHandle = Symbol('kHandle');
  const kToken = Symbol('kToken');
  function track(object, handle) {
    object[kHandle] = handle;
    if (registry) {
      const token = { __proto__: null };
      defineProperty(object, kToken, { __proto__: null, value: token });
      registry.register(object, handle, token);
    }
  }
  function take(object) {
    const handle = object[kHandle];
    object[kHandle] = 0;
    if (registry && object[kToken]) registry.unregister(object[kToken]);
    return handle;
  }
  function liveHandle(object) {
    const handle = object[kHandle];
    if (!handle) throw hashFinalized();
    return handle;
  }

  function Hash(algorithm, options) {
    if (!(this instanceof Hash)) return new Hash(algorithm, options);
    let handle;
    if (algorithm instanceof Hash) {
      handle = binding.copy(liveHandle(algorithm));
    } else {
      validateString(algorithm, 'algorithm');
      handle = binding.hashNew(algorithm);
    }
    if (!handle) throw new Error('Digest method not supported');
    defineProperty(this, kHandle, { __proto__: null, value: 0, writable: true, enumerable: false });
    track(this, handle);
  }
  Hash.prototype.copy = function copy(options) {
    liveHandle(this);
    return new Hash(this, options);
  };
  Hash.prototype.update = function update(data, encoding) {
    const handle = liveHandle(this);
    if (!binding.update(handle, dataArg(data, encoding, 'data'))) throw hashFinalized();
    return this;
  };
  Hash.prototype.digest = function digest(encoding) {
    liveHandle(this);
    const digest = binding.digest(take(this));
    if (digest === undefined) throw hashFinalized();
    return output(digest, encoding);
  };

  function Hmac(hmac, key, options) {
    if (!(this instanceof Hmac)) return new Hmac(hmac, key, options);
    validateString(hmac, 'hmac');
    if (typeof key !== 'string' && !isArrayBufferView(key) && !isArrayBuffer(key)) {
      throw invalidArgType('key', ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView', 'KeyObject', 'CryptoKey'], key);
    }
    const encoding = options !== null && typeof options === 'object' ? options.encoding : undefined;
    const handle = binding.hmacNew(hmac, keyArg(key, 'key', encoding));
    if (!handle) throw codedError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${hmac}`);
    defineProperty(this, kHandle, { __proto__: null, value: 0, writable: true, enumerable: false });
    track(this, handle);
  }
  Hmac.prototype.update = Hash.prototype.update;
  // Node's Hmac.digest after digest() returns an empty result instead of throwing.
  Hmac.prototype.digest = function digest(encoding) {
    if (!this[kHandle]) return output(new ArrayBuffer(0), encoding);
    const digest = binding.digest(take(this));
    if (digest === undefined) throw hashFinalized();
    return output(digest, encoding);
  };

  function createHash(algorithm, options) { return new Hash(algorithm, options); }
  function createHmac(hmac, key, options) { return new Hmac(hmac, key, options); }
  function getHashes() { return binding.hashes.slice(); }

  // ---- randomness ---------------------------------------------------------------
  const kMaxUint32 = 2 ** 32 - 1;
  const kMaxPossibleLength = 2 ** 31 - 1;

  function assertSize(size, elementSize, offset, length) {
    if (typeof size !== 'number') throw invalidArgType('size', 'number', size);
    size *= elementSize;
    if (Number.isNaN(size) || size > kMaxPossibleLength || size < 0) {
      throw outOfRange('size', `>= 0 && <= ${kMaxPossibleLength}`, size);
    }
    if (size + offset > length) throw outOfRange('size + offset', `<= ${length}`, size + offset);
    return size >>> 0;
  }
  function assertOffset(offset, elementSize, length) {
    if (typeof offset !== 'number') throw invalidArgType('offset', 'number', offset);
    offset *= elementSize;
    const maxLength = Math.min(length, kMaxPossibleLength);
    if (Number.isNaN(offset) || offset > maxLength || offset < 0) {
      throw outOfRange('offset', `>= 0 && <= ${maxLength}`, offset);
    }
    return offset >>> 0;
  }

  function randomBytes(size, callback) {
    if (typeof size !== 'number') throw invalidArgType('size', 'number', size);
    if (Number.isNaN(size) || size > kMaxPossibleLength || size < 0) {
      throw outOfRange('size', `>= 0 && <= ${kMaxPossibleLength}`, size);
    }
    if (callback !== undefined) validateFunction(callback, 'callback');
    const buf = Buffer.alloc(size >>> 0);
    binding.randomFill(buf, 0, buf.length);
    if (callback === undefined) return buf;
    queueTask(() => callback(null, buf));
  }

  function viewArg(buf, name) {
    if (isArrayBufferView(buf) || isArrayBuffer(buf)) return bytesOf(buf);
    throw invalidArgType(name, ['ArrayBuffer', 'ArrayBufferView'], buf);
  }
  function randomFillSync(buf, offset = 0, size) {
    const bytes = viewArg(buf, 'buf');
    const elementSize = isArrayBuffer(buf) || isDataView(buf) ? 1 : buf.BYTES_PER_ELEMENT;
    offset = assertOffset(offset, elementSize, bytes.length);
    if (size === undefined) size = bytes.length - offset;
    else size = assertSize(size, elementSize, offset, bytes.length);
    binding.randomFill(bytes, offset, size);
    return buf;
  }
  function randomFill(buf, offset, size, callback) {
    const bytes = viewArg(buf, 'buf');
    const elementSize = isArrayBuffer(buf) || isDataView(buf) ? 1 : buf.BYTES_PER_ELEMENT;
    if (typeof offset === 'function') {
      callback = offset;
      offset = 0;
      size = bytes.length;
    } else if (typeof size === 'function') {
      callback = size;
      offset = assertOffset(offset, elementSize, bytes.length);
      size = bytes.length - offset;
    } else {
      validateFunction(callback, 'callback');
      offset = assertOffset(offset, elementSize, bytes.length);
      size = size === undefined ? bytes.length - offset : assertSize(size, elementSize, offset, bytes.length);
    }
    validateFunction(callback, 'callback');
    binding.randomFill(bytes, offset, size);
    queueTask(() => callback(null, buf));
  }

  // randomInt as Node does it: rejection sampling over 48-bit values.
  const RAND_MAX = 0xFFFFFFFFFFFF;
  function randomInt(min, max, callback) {
    const minNotSpecified = typeof max === 'undefined' || typeof max === 'function';
    if (minNotSpecified) {
      callback = max;
      max = min;
      min = 0;
    }
    const isSync = typeof callback === 'undefined';
    if (!isSync) validateFunction(callback, 'callback');
    if (!isSafeInteger(min)) throw invalidArgType('min', 'a safe integer', min);
    if (!isSafeInteger(max)) throw invalidArgType('max', 'a safe integer', max);
    if (max <= min) {
      throw outOfRange('max', `greater than the value of "min" (${min})`, max);
    }
    const range = max - min;
    if (!(range <= RAND_MAX)) {
      throw outOfRange(`max${minNotSpecified ? '' : ' - min'}`, `<= ${RAND_MAX}`, range);
    }
    const randLimit = RAND_MAX - (RAND_MAX % range);
    const bytes = new Uint8Array(6);
    for (;;) {
      binding.randomFill(bytes, 0, 6);
      let x = 0;
      for (let i = 0; i < 6; i++) x = x * 256 + bytes[i];
      if (x < randLimit) {
        const n = (x % range) + min;
        if (isSync) return n;
        queueTask(() => callback(undefined, n));
        return;
      }
    }
  }

  const hex = [];
  for (let i = 0; i < 256; i++) hex[i] = stringPadStart(numberToString(i, 16), 2, '0');
  function randomUUID(options) {
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw invalidArgType('options', 'object', options);
    }
    const b = new Uint8Array(16);
    binding.randomFill(b, 0, 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    return hex[b[0]] + hex[b[1]] + hex[b[2]] + hex[b[3]] + '-' + hex[b[4]] + hex[b[5]] + '-' +
      hex[b[6]] + hex[b[7]] + '-' + hex[b[8]] + hex[b[9]] + '-' + hex[b[10]] + hex[b[11]] +
      hex[b[12]] + hex[b[13]] + hex[b[14]] + hex[b[15]];
  }

  function getRandomValues(data) {
    if (!isArrayBufferView(data) || isDataView(data)) {
      throw domException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
    }
    const tag = typedArrayTag(data);
    if (tag === 'Float32Array' || tag === 'Float64Array') {
      throw domException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
    }
    const bytes = bytesOf(data);
    if (bytes.length > 65536) {
      throw domException('The requested length exceeds 65,536 bytes', 'QuotaExceededError');
    }
    binding.randomFill(bytes, 0, bytes.length);
    return data;
  }

  function timingSafeEqual(buf1, buf2) {
    // Node's message names no received value here.
    for (const [name, value] of [['buf1', buf1], ['buf2', buf2]]) {
      if (!isArrayBufferView(value) && !isArrayBuffer(value)) {
        throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
          `The "${name}" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.`);
      }
    }
    const a = bytesOf(buf1);
    const b = bytesOf(buf2);
    if (a.length !== b.length) {
      throw codedError(RangeError, 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH', 'Input buffers must have the same byte length');
    }
    return binding.timingSafeEqual(a, b);
  }

  // ---- key derivation -----------------------------------------------------------
  function pbkdf2Args(password, salt, iterations, keylen, digest) {
    const p = keyArg(password, 'password');
    const s = keyArg(salt, 'salt');
    validateInt32(iterations, 'iterations', 1, 2147483647);
    validateInt32(keylen, 'keylen', 0, 2147483647);
    validateString(digest, 'digest');
    return [p, s];
  }
  function pbkdf2Derive(p, s, iterations, keylen, digest) {
    const key = binding.pbkdf2(p, s, iterations, keylen, digest);
    if (key === undefined) throw codedError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${digest}`);
    return toBuffer(key);
  }
  function pbkdf2Sync(password, salt, iterations, keylen, digest) {
    const [p, s] = pbkdf2Args(password, salt, iterations, keylen, digest);
    return pbkdf2Derive(p, s, iterations, keylen, digest);
  }
  function pbkdf2(password, salt, iterations, keylen, digest, callback) {
    if (typeof digest === 'function') {
      callback = digest;
      digest = undefined;
    }
    const [p, s] = pbkdf2Args(password, salt, iterations, keylen, digest);
    validateFunction(callback, 'callback');
    const key = pbkdf2Derive(p, s, iterations, keylen, digest);
    queueTask(() => callback(null, key));
  }

  const defaults = { N: 16384, r: 8, p: 1, maxmem: 32 << 20 };
  function scryptArgs(password, salt, keylen, options) {
    const p = keyArg(password, 'password');
    const s = keyArg(salt, 'salt');
    validateInt32(keylen, 'keylen', 0, 2147483647);
    let { N, r, p: par, maxmem } = defaults;
    if (options && options !== defaults) {
      const has = (v) => v !== undefined;
      if (has(options.N)) {
        if (has(options.cost)) throw scryptParam();
        N = uint32(options.N, 'N');
      }
      if (has(options.cost)) N = uint32(options.cost, 'cost');
      if (has(options.r)) {
        if (has(options.blockSize)) throw scryptParam();
        r = uint32(options.r, 'r');
      }
      if (has(options.blockSize)) r = uint32(options.blockSize, 'blockSize');
      if (has(options.p)) {
        if (has(options.parallelization)) throw scryptParam();
        par = uint32(options.p, 'p');
      }
      if (has(options.parallelization)) par = uint32(options.parallelization, 'parallelization');
      if (has(options.maxmem)) {
        maxmem = options.maxmem;
        if (typeof maxmem !== 'number') throw invalidArgType('maxmem', 'number', maxmem);
        if (!isSafeInteger(maxmem) || maxmem < 0) throw outOfRange('maxmem', '>= 0 && <= 9007199254740991', maxmem);
      }
      if (N === 0) N = defaults.N;
      if (r === 0) r = defaults.r;
      if (par === 0) par = defaults.p;
      if (maxmem === 0) maxmem = defaults.maxmem;
    }
    const refused = binding.scryptCheck(N, r, par, maxmem);
    if (refused !== undefined) {
      throw codedError(RangeError, 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS',
        refused === '' ? 'Invalid scrypt params'
          : `Invalid scrypt params: error:030000AC:digital envelope routines::${refused}`);
    }
    return [p, s, N, r, par, maxmem];
  }
  function uint32(value, name) {
    if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
    if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
    if (value < 0 || value > kMaxUint32) throw outOfRange(name, `>= 0 && <= ${kMaxUint32}`, value);
    return value;
  }
  function scryptParam() {
    return codedError(Error, 'ERR_CRYPTO_SCRYPT_INVALID_PARAMETER', 'Invalid scrypt parameter');
  }
  function scryptSync(password, salt, keylen, options = defaults) {
    const [p, s, N, r, par, maxmem] = scryptArgs(password, salt, keylen, options);
    return toBuffer(binding.scrypt(p, s, keylen, N, r, par, maxmem));
  }
  function scrypt(password, salt, keylen, options, callback = defaults) {
    if (callback === defaults) {
      callback = options;
      options = defaults;
    }
    const [p, s, N, r, par, maxmem] = scryptArgs(password, salt, keylen, options);
    validateFunction(callback, 'callback');
    const key = toBuffer(binding.scrypt(p, s, keylen, N, r, par, maxmem));
    queueTask(() => callback(null, key));
  }

  // hash(algorithm, data[, outputEncoding]) is Node 21; not provided, as in Node 20.

  // ---- Web Crypto -----------------------------------------------------------------
  const subtleDigests = { __proto__: null, 'sha-1': 'sha1', 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' };
  function illegalConstructor() {
    throw codedError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
  }
  function SubtleCrypto() { illegalConstructor(); }
  const subtle = { __proto__: SubtleCrypto.prototype };
  defineProperty(SubtleCrypto.prototype, 'digest', {
    __proto__: null, writable: true, enumerable: true, configurable: true,
    value: function digest(algorithm, data) {
      try {
        if (this !== subtle) throw codedError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type SubtleCrypto');
        if (arguments.length < 2) {
          throw codedError(TypeError, 'ERR_MISSING_ARGS', 'The "algorithm" and "data" arguments must be specified');
        }
        let name = algorithm;
        if (algorithm !== null && typeof algorithm === 'object') name = algorithm.name;
        const native = subtleDigests[toLowerCase(String(name))];
        if (native === undefined) return promiseReject(domException('Unrecognized algorithm name', 'NotSupportedError'));
        if (!isArrayBufferView(data) && !isArrayBuffer(data)) {
          throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
            'Failed to execute \'digest\' on \'SubtleCrypto\': 2nd argument is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.');
        }
        return promiseResolve(binding.hash(native, bytesOf(data)));
      } catch (err) {
        return promiseReject(err);
      }
    },
  });
  defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { __proto__: null, value: 'SubtleCrypto', configurable: true });

  function Crypto() { illegalConstructor(); }
  const webcrypto = { __proto__: Crypto.prototype };
  const cryptoMethods = {
    getRandomValues(array) {
      if (this !== webcrypto) throw codedError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type Crypto');
      return getRandomValues(array);
    },
    randomUUID() {
      if (this !== webcrypto) throw codedError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type Crypto');
      return randomUUID();
    },
  };
  defineProperty(Crypto.prototype, 'subtle', {
    __proto__: null, enumerable: true, configurable: true,
    get: function subtle_() {
      if (this !== webcrypto) throw codedError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type Crypto');
      return subtle;
    },
  });
  for (const name of ['getRandomValues', 'randomUUID']) {
    defineProperty(Crypto.prototype, name, {
      __proto__: null, writable: true, enumerable: true, configurable: true, value: cryptoMethods[name],
    });
  }
  defineProperty(Crypto.prototype, Symbol.toStringTag, { __proto__: null, value: 'Crypto', configurable: true });

  const exports = {
    createHash,
    createHmac,
    getHashes,
    Hash,
    Hmac,
    randomBytes,
    pseudoRandomBytes: randomBytes,
    prng: randomBytes,
    rng: randomBytes,
    randomFill,
    randomFillSync,
    randomInt,
    randomUUID,
    getRandomValues: (array) => getRandomValues(array),
    timingSafeEqual,
    pbkdf2,
    pbkdf2Sync,
    scrypt,
    scryptSync,
    webcrypto,
    subtle,
    constants: freeze({ __proto__: null }),
  };
  // Node's non-enumerable legacy aliases stay out of Object.keys.
  for (const name of ['pseudoRandomBytes', 'prng', 'rng']) {
    defineProperty(exports, name, { __proto__: null, enumerable: false });
  }

  return { __proto__: null, exports, crypto: webcrypto };
})
