// Node's Buffer (v20 semantics), loaded the first time a script touches the
// `Buffer` global or requires `buffer`. Argument handling, errors and the
// numeric reads and writes are here; the byte work (encoding and decoding
// strings, searching, comparing, filling, copying) is done by the native
// `buffer` binding (src/builtins/buffer.rs) on the typed arrays' memory.
//
// Differences from Node (see docs/modules.md):
// - No pool: allocUnsafe() and from() give buffers that own their whole
//   ArrayBuffer (byteOffset 0), and allocUnsafe() memory is zeroed.
// - Buffers above 2^31 - 1 bytes (QuickJS's limit) throw RangeError
//   'Array buffer allocation failed'; kMaxLength is still Node's 2^32.
// - Buffer() without `new` does not print the DEP0005 warning.
// - Blob is minimal (no stream(), no File, no resolveObjectURL); transcode
//   is not provided.
(function (host, core) {
  'use strict';
  const binding = core.binding('buffer');
  const errors = core.load('errors');
  const { codedError, invalidArgType, outOfRange } = errors;
  const inspect = (value, options) => core.util.inspect(value, options);

  // ---- built-ins captured now: later changes by scripts do not reach here --
  const { apply: reflectApply, ownKeys } = Reflect;
  const {
    defineProperty, defineProperties, getOwnPropertyDescriptor, getPrototypeOf,
    setPrototypeOf,
  } = Object;
  const { isInteger: numberIsInteger, isNaN: numberIsNaN } = Number;
  const { floor: mathFloor, min: mathMin, max: mathMax, trunc: mathTrunc } = Math;
  const arrayIsArray = Array.isArray;
  const isArrayBufferView = ArrayBuffer.isView;
  const TypedArray = getPrototypeOf(Uint8Array);
  const TypedArrayPrototype = TypedArray.prototype;
  const uncurry = (fn) => (self, ...args) => reflectApply(fn, self, args);
  const getter = (proto, name) => uncurry(getOwnPropertyDescriptor(proto, name).get);
  const typedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag);
  const typedArrayLength = getter(TypedArrayPrototype, 'length');
  const typedArrayByteLength = getter(TypedArrayPrototype, 'byteLength');
  const typedArrayByteOffset = getter(TypedArrayPrototype, 'byteOffset');
  const typedArrayBuffer = getter(TypedArrayPrototype, 'buffer');
  const typedArrayFill = uncurry(TypedArrayPrototype.fill);
  const typedArraySet = uncurry(TypedArrayPrototype.set);
  const typedArraySlice = uncurry(TypedArrayPrototype.slice);
  const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
  const sharedByteLength = typeof SharedArrayBuffer === 'function'
    ? getter(SharedArrayBuffer.prototype, 'byteLength') : undefined;
  const toLowerCase = uncurry(String.prototype.toLowerCase);
  const charCodeAt = uncurry(String.prototype.charCodeAt);
  const stringReplace = uncurry(String.prototype.replace);
  const stringSlice = uncurry(String.prototype.slice);
  const stringTrim = uncurry(String.prototype.trim);
  const regExpTest = uncurry(RegExp.prototype.test);
  const arrayFrom = Array.from;
  const BigIntCtor = BigInt;
  const bigIntAsIntN = BigInt.asIntN;
  const promiseResolve = (value) => Promise.resolve(value);
  const promiseReject = (error) => Promise.reject(error);
  const customInspect = Symbol.for('nodejs.util.inspect.custom');

  function isTypedArray(value) {
    return typedArrayTag(value) !== undefined;
  }
  function isUint8Array(value) {
    return typedArrayTag(value) === 'Uint8Array';
  }
  function hasSlot(read, value) {
    if (read === undefined || value === null || typeof value !== 'object') return false;
    try {
      read(value);
      return true;
    } catch {
      return false;
    }
  }
  const isArrayBuffer = (value) => hasSlot(arrayBufferByteLength, value);
  const isAnyArrayBuffer = (value) => isArrayBuffer(value) || hasSlot(sharedByteLength, value);

  // A view's bytes as a typed array the binding reads (DataViews become one).
  function bytesOf(view) {
    if (isTypedArray(view)) return view;
    return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  }

  // ---- Node's errors ---------------------------------------------------------
  const kMaxLength = 2 ** 32;
  const kStringMaxLength = 0x1fffffe8;
  // QuickJS's largest ArrayBuffer.
  const kEngineMaxLength = 0x7fffffff;

  function outOfRangeBigInt(name, range, input) {
    let received = String(input);
    if (input > 2n ** 32n || input < -(2n ** 32n)) received = errors.addNumericalSeparator(received);
    return codedError(RangeError, 'ERR_OUT_OF_RANGE',
      `The value of "${name}" is out of range. It must be ${range}. Received ${received}n`);
  }
  function rangeError(name, range, input) {
    return typeof input === 'bigint' ? outOfRangeBigInt(name, range, input) : outOfRange(name, range, input);
  }
  function bufferOutOfBounds(name) {
    return codedError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', name
      ? `"${name}" is outside of buffer bounds`
      : 'Attempt to access memory outside buffer bounds');
  }
  function unknownEncoding(encoding) {
    return codedError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
  }
  function invalidArgValue(name, value, ErrorType = TypeError) {
    let inspected = inspect(value);
    if (inspected.length > 128) inspected = `${stringSlice(inspected, 0, 128)}...`;
    const type = name.includes('.') ? 'property' : 'argument';
    return codedError(ErrorType, 'ERR_INVALID_ARG_VALUE',
      `The ${type} '${name}' is invalid. Received ${inspected}`);
  }
  function validateNumber(value, name, min, max) {
    if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
    if ((min != null && value < min) || (max != null && value > max) ||
        ((min != null || max != null) && numberIsNaN(value))) {
      throw outOfRange(name, `${min != null ? `>= ${min}` : ''}${
        min != null && max != null ? ' && ' : ''}${max != null ? `<= ${max}` : ''}`, value);
    }
  }
  function validateInteger(value, name, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
    if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
    if (!numberIsInteger(value)) throw outOfRange(name, 'an integer', value);
    if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
  }
  const validateOffset = (value, name, min = 0, max = kMaxLength) => validateInteger(value, name, min, max);

  // ---- encodings ---------------------------------------------------------------
  // Numbered as the binding numbers them.
  const UTF8 = 0, UCS2 = 1, LATIN1 = 2, ASCII = 3, BASE64 = 4, BASE64URL = 5, HEX = 6;
  const encodingIds = {
    __proto__: null,
    'utf8': UTF8, 'utf-8': UTF8, 'ucs2': UCS2, 'ucs-2': UCS2, 'utf16le': UCS2, 'utf-16le': UCS2,
    'latin1': LATIN1, 'binary': LATIN1, 'ascii': ASCII, 'base64': BASE64, 'base64url': BASE64URL,
    'hex': HEX,
  };
  const encodingNames = ['utf8', 'utf16le', 'latin1', 'ascii', 'base64', 'base64url', 'hex'];

  // The encoding `encoding` names, or -1 (Node's getEncodingOps).
  function encodingId(encoding) {
    encoding += '';
    const id = encodingIds[encoding];
    if (id !== undefined) return id;
    const lower = encodingIds[toLowerCase(encoding)];
    return lower === undefined ? -1 : lower;
  }
  // Node's normalizeEncoding: undefined, null and '' mean UTF-8.
  function normalizedEncoding(encoding) {
    if (encoding == null || encoding === 'utf8' || encoding === 'utf-8' || encoding === '') return UTF8;
    if (typeof encoding !== 'string') return -1;
    return encodingId(encoding);
  }

  function base64ByteLength(string, bytes) {
    if (charCodeAt(string, bytes - 1) === 0x3d) bytes--;
    if (bytes > 1 && charCodeAt(string, bytes - 1) === 0x3d) bytes--;
    return (bytes * 3) >>> 2;
  }
  function stringByteLength(string, id) {
    switch (id) {
      case UCS2: return string.length * 2;
      case LATIN1: case ASCII: return string.length;
      case BASE64: case BASE64URL: return base64ByteLength(string, string.length);
      case HEX: return string.length >>> 1;
      default: return binding.byteLengthUtf8(string);
    }
  }

  // ---- making buffers ----------------------------------------------------------
  class FastBuffer extends Uint8Array {
    // eslint-disable-next-line no-useless-constructor
    constructor(bufferOrLength, byteOffset, length) {
      super(bufferOrLength, byteOffset, length);
    }
  }

  // A zero-filled buffer of `size` bytes (jsbox has no pool and never hands
  // out uninitialized memory).
  function createBuffer(size) {
    if (size > kEngineMaxLength) throw new RangeError('Array buffer allocation failed');
    return new FastBuffer(size);
  }

  // A new buffer with a copy of `bytes[start, end)`.
  function copyRange(bytes, start, end) {
    const copy = createBuffer(end - start);
    binding.copy(bytes, copy, 0, start, end - start);
    return copy;
  }

  // A Uint8Array made by native code, as a Buffer over the same memory.
  function toBuffer(bytes) {
    return new FastBuffer(typedArrayBuffer(bytes), typedArrayByteOffset(bytes), typedArrayLength(bytes));
  }

  function fromStringWith(string, id) {
    return new FastBuffer(binding.fromString(string, id));
  }

  function fromString(string, encoding) {
    let id;
    if (typeof encoding !== 'string' || encoding.length === 0) {
      if (string.length === 0) return new FastBuffer();
      id = UTF8;
    } else {
      id = encodingId(encoding);
      if (id < 0) throw unknownEncoding(encoding);
      if (string.length === 0) return new FastBuffer();
    }
    return fromStringWith(string, id);
  }

  function fromArrayBuffer(arrayBuffer, byteOffset, length) {
    if (byteOffset === undefined) {
      byteOffset = 0;
    } else {
      byteOffset = +byteOffset;
      if (numberIsNaN(byteOffset)) byteOffset = 0;
    }
    const maxLength = arrayBuffer.byteLength - byteOffset;
    if (maxLength < 0) throw bufferOutOfBounds('offset');
    if (length === undefined) {
      length = maxLength;
    } else {
      length = +length;
      if (length > 0) {
        if (length > maxLength) throw bufferOutOfBounds('length');
      } else {
        length = 0;
      }
    }
    return new FastBuffer(arrayBuffer, byteOffset, length);
  }

  // Element by element, as an array-like (never through an iterator).
  function fromArrayLike(arrayLike) {
    const length = arrayLike.length;
    if (!(length > 0)) return new FastBuffer();
    const buffer = createBuffer(length);
    typedArraySet(buffer, arrayLike, 0);
    return buffer;
  }

  function fromObject(object) {
    if (object.length !== undefined || isAnyArrayBuffer(object.buffer)) {
      if (typeof object.length !== 'number') return new FastBuffer();
      return fromArrayLike(object);
    }
    if (object.type === 'Buffer' && arrayIsArray(object.data)) return fromArrayLike(object.data);
    return undefined;
  }

  // ---- the Buffer function and its statics --------------------------------------
  function Buffer(arg, encodingOrOffset, length) {
    if (typeof arg === 'number') {
      if (typeof encodingOrOffset === 'string') throw invalidArgType('string', 'string', arg);
      return Buffer.alloc(arg);
    }
    return Buffer.from(arg, encodingOrOffset, length);
  }
  defineProperty(Buffer, Symbol.species, {
    __proto__: null, enumerable: false, configurable: true, get() { return FastBuffer; },
  });
  FastBuffer.prototype.constructor = Buffer;
  Buffer.prototype = FastBuffer.prototype;
  const proto = Buffer.prototype;
  // The prototype's methods, installed at the end in Node's order.
  const methods = { __proto__: null };

  Buffer.poolSize = 8 * 1024;

  Buffer.from = function from(value, encodingOrOffset, length) {
    if (typeof value === 'string') return fromString(value, encodingOrOffset);
    if (typeof value === 'object' && value !== null) {
      if (isAnyArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
      const valueOf = value.valueOf && value.valueOf();
      if (valueOf != null && valueOf !== value &&
          (typeof valueOf === 'string' || typeof valueOf === 'object')) {
        return from(valueOf, encodingOrOffset, length);
      }
      const buffer = fromObject(value);
      if (buffer) return buffer;
      if (typeof value[Symbol.toPrimitive] === 'function') {
        const primitive = value[Symbol.toPrimitive]('string');
        if (typeof primitive === 'string') return fromString(primitive, encodingOrOffset);
      }
    }
    throw invalidArgType('first argument',
      ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'], value);
  };

  Buffer.copyBytesFrom = function copyBytesFrom(view, offset, length) {
    if (!isTypedArray(view)) throw invalidArgType('view', ['TypedArray'], view);
    const viewLength = typedArrayLength(view);
    if (viewLength === 0) return new FastBuffer();
    if (offset !== undefined || length !== undefined) {
      if (offset !== undefined) {
        validateInteger(offset, 'offset', 0);
        if (offset >= viewLength) return new FastBuffer();
      } else {
        offset = 0;
      }
      let end;
      if (length !== undefined) {
        validateInteger(length, 'length', 0);
        end = offset + length;
      } else {
        end = viewLength;
      }
      view = typedArraySlice(view, offset, end);
    }
    return fromArrayLike(new Uint8Array(typedArrayBuffer(view), typedArrayByteOffset(view),
      typedArrayByteLength(view)));
  };

  // An arrow function: Buffer.of is no constructor, as in Node.
  Buffer.of = (...items) => {
    const buffer = createBuffer(items.length);
    for (let i = 0; i < items.length; i++) buffer[i] = items[i];
    return buffer;
  };

  setPrototypeOf(Buffer, Uint8Array);

  function assertSize(size) {
    validateNumber(size, 'size', 0, kMaxLength);
  }

  Buffer.alloc = function alloc(size, fill, encoding) {
    assertSize(size);
    if (fill !== undefined && fill !== 0 && size > 0) {
      const buffer = createBuffer(size);
      return fillBuffer(buffer, fill, 0, buffer.length, encoding);
    }
    return createBuffer(size);
  };
  Buffer.allocUnsafe = function allocUnsafe(size) {
    assertSize(size);
    return createBuffer(size);
  };
  Buffer.allocUnsafeSlow = function allocUnsafeSlow(size) {
    assertSize(size);
    return createBuffer(size);
  };

  function SlowBuffer(size) {
    assertSize(size);
    return createBuffer(size);
  }
  setPrototypeOf(SlowBuffer.prototype, Uint8Array.prototype);
  setPrototypeOf(SlowBuffer, Uint8Array);

  Buffer.isBuffer = function isBuffer(value) {
    return value instanceof Buffer;
  };

  function compareAll(a, b) {
    return binding.compare(a, b, 0, typedArrayLength(a), 0, typedArrayLength(b));
  }

  Buffer.compare = function compare(buf1, buf2) {
    if (!isUint8Array(buf1)) throw invalidArgType('buf1', ['Buffer', 'Uint8Array'], buf1);
    if (!isUint8Array(buf2)) throw invalidArgType('buf2', ['Buffer', 'Uint8Array'], buf2);
    if (buf1 === buf2) return 0;
    return compareAll(buf1, buf2);
  };

  Buffer.isEncoding = function isEncoding(encoding) {
    return typeof encoding === 'string' && encoding.length !== 0 && normalizedEncoding(encoding) >= 0;
  };

  Buffer.concat = function concat(list, length) {
    if (!arrayIsArray(list)) throw invalidArgType('list', 'Array', list);
    if (list.length === 0) return new FastBuffer();
    if (length === undefined) {
      length = 0;
      for (let i = 0; i < list.length; i++) {
        if (list[i].length) length += list[i].length;
      }
    } else {
      validateOffset(length, 'length');
    }
    const buffer = Buffer.allocUnsafe(length);
    let position = 0;
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (!isUint8Array(item)) throw invalidArgType(`list[${i}]`, ['Buffer', 'Uint8Array'], item);
      const itemLength = typedArrayLength(item);
      // An empty item is still copied, so a detached one throws as in Node.
      if (itemLength === 0) typedArraySet(buffer, item, position);
      else position += copyBytes(item, buffer, position, 0, itemLength);
    }
    // Node zero-fills what the list did not cover; jsbox's memory is zeroed.
    return buffer;
  };

  function byteLength(string, encoding) {
    if (typeof string !== 'string') {
      if (isArrayBufferView(string) || isAnyArrayBuffer(string)) return string.byteLength;
      throw invalidArgType('string', ['string', 'Buffer', 'ArrayBuffer'], string);
    }
    const mustMatch = arguments.length > 2 && arguments[2] === true;
    if (!mustMatch && string.length === 0) return 0;
    if (!encoding) return mustMatch ? -1 : binding.byteLengthUtf8(string);
    const id = encodingId(encoding);
    if (id < 0) return mustMatch ? -1 : binding.byteLengthUtf8(string);
    return stringByteLength(string, id);
  }
  Buffer.byteLength = byteLength;

  // ---- the prototype -------------------------------------------------------------
  // Node's slice/write methods per encoding, with their native argument checks.
  function indexArgument(value, fallback) {
    if (value === undefined) return fallback;
    const n = mathTrunc(+value) || 0;
    if (n < 0) throw codedError(RangeError, 'ERR_OUT_OF_RANGE', 'Index out of range');
    return n;
  }
  function named(name, fn) {
    defineProperty(fn, 'name', { __proto__: null, value: name, configurable: true });
    return fn;
  }
  function slicer(id) {
    return function (start, end) {
      const length = typedArrayLength(this);
      start = indexArgument(start, 0);
      end = indexArgument(end, length);
      if (end < start) end = start;
      if (end > length) throw codedError(RangeError, 'ERR_OUT_OF_RANGE', 'Index out of range');
      return binding.slice(this, id, start, end);
    };
  }
  function writer(id) {
    return function (string, offset, length) {
      if (typeof string !== 'string') throw notAString();
      const size = typedArrayLength(this);
      offset = indexArgument(offset, 0);
      if (offset > size) throw bufferOutOfBounds('offset');
      length = mathMin(size - offset, indexArgument(length, size - offset));
      if (length === 0) return 0;
      return binding.write(this, string, id, offset, length);
    };
  }

  function copyBytes(source, target, targetStart, sourceStart, sourceEnd) {
    if (sourceEnd - sourceStart > target.length - targetStart) {
      sourceEnd = sourceStart + target.length - targetStart;
    }
    let count = sourceEnd - sourceStart;
    const sourceLength = source.length - sourceStart;
    if (count > sourceLength) count = sourceLength;
    if (count <= 0) return 0;
    return binding.copy(source, target, targetStart, sourceStart, count);
  }

  function toInteger(n, fallback) {
    n = +n;
    if (!numberIsNaN(n) && n >= Number.MIN_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER) {
      return n % 1 === 0 ? n : mathFloor(n);
    }
    return fallback;
  }

  methods.copy = function copy(target, targetStart, sourceStart, sourceEnd) {
    const source = this;
    if (!isUint8Array(source)) throw invalidArgType('source', ['Buffer', 'Uint8Array'], source);
    if (!isUint8Array(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target);
    if (targetStart === undefined) {
      targetStart = 0;
    } else {
      targetStart = numberIsInteger(targetStart) ? targetStart : toInteger(targetStart, 0);
      if (targetStart < 0) throw outOfRange('targetStart', '>= 0', targetStart);
    }
    if (sourceStart === undefined) {
      sourceStart = 0;
    } else {
      sourceStart = numberIsInteger(sourceStart) ? sourceStart : toInteger(sourceStart, 0);
      if (sourceStart < 0 || sourceStart > source.length) {
        throw outOfRange('sourceStart', `>= 0 && <= ${source.length}`, sourceStart);
      }
    }
    if (sourceEnd === undefined) {
      sourceEnd = source.length;
    } else {
      sourceEnd = numberIsInteger(sourceEnd) ? sourceEnd : toInteger(sourceEnd, 0);
      if (sourceEnd < 0) throw outOfRange('sourceEnd', '>= 0', sourceEnd);
    }
    if (targetStart >= target.length || sourceStart >= sourceEnd) return 0;
    return copyBytes(source, target, targetStart, sourceStart, sourceEnd);
  };

  methods.toString = function toString(encoding, start, end) {
    if (arguments.length === 0) return binding.slice(this, UTF8, 0, typedArrayLength(this));
    const length = typedArrayLength(this);
    if (start <= 0) start = 0;
    else if (start >= length) return '';
    else start = mathTrunc(start) || 0;
    if (end === undefined || end > length) end = length;
    else end = mathTrunc(end) || 0;
    if (end <= start) return '';
    if (encoding === undefined) return binding.slice(this, UTF8, start, end);
    const id = encodingId(encoding);
    if (id < 0) throw unknownEncoding(encoding);
    return binding.slice(this, id, start, end);
  };

  methods.equals = function equals(otherBuffer) {
    if (!isUint8Array(otherBuffer)) {
      throw invalidArgType('otherBuffer', ['Buffer', 'Uint8Array'], otherBuffer);
    }
    if (this === otherBuffer) return true;
    const length = typedArrayByteLength(this);
    if (length !== typedArrayByteLength(otherBuffer)) return false;
    return length === 0 || compareAll(this, otherBuffer) === 0;
  };

  // How util.inspect and console.log show a buffer: <Buffer 68 69>.
  let INSPECT_MAX_BYTES = 50;
  const indexKey = /^(0|[1-9][0-9]*)$/;
  methods.inspect = function inspect(recurseTimes, ctx) {
    const max = INSPECT_MAX_BYTES;
    const actualMax = mathMin(max, this.length);
    const remaining = this.length - max;
    let str = stringTrim(stringReplace(binding.slice(this, HEX, 0, actualMax), /(.{2})/g, '$1 '));
    if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
    // Own properties besides the bytes, as Node shows them.
    if (ctx) {
      let extras = false;
      const object = { __proto__: null };
      const keys = ownKeys(this);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (typeof key === 'string' && regExpTest(indexKey, key)) continue;
        if (!ctx.showHidden && !getOwnPropertyDescriptor(this, key).enumerable) continue;
        extras = true;
        object[key] = this[key];
      }
      if (extras) {
        if (this.length !== 0) str += ', ';
        // '[Object: null prototype] {'.length === 26
        str += stringSlice(core.util.inspect(object, {
          ...ctx,
          breakLength: Infinity,
          compact: true,
        }), 27, -2);
      }
    }
    return `<${this.constructor.name} ${str}>`;
  };

  methods.compare = function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
    if (!isUint8Array(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target);
    if (arguments.length === 1) return compareAll(this, target);
    if (targetStart === undefined) targetStart = 0;
    else validateOffset(targetStart, 'targetStart');
    if (targetEnd === undefined) targetEnd = target.length;
    else validateOffset(targetEnd, 'targetEnd', 0, target.length);
    if (sourceStart === undefined) sourceStart = 0;
    else validateOffset(sourceStart, 'sourceStart');
    if (sourceEnd === undefined) sourceEnd = this.length;
    else validateOffset(sourceEnd, 'sourceEnd', 0, this.length);
    if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
    if (targetStart >= targetEnd) return 1;
    return binding.compare(this, target, sourceStart, sourceEnd, targetStart, targetEnd);
  };

  // The first index of `value` at or after `byteOffset` (dir true), or the last
  // at or before it (dir false).
  function bidirectionalIndexOf(buffer, value, byteOffset, encoding, dir) {
    if (!isArrayBufferView(buffer)) {
      throw invalidArgType('buffer', ['Buffer', 'TypedArray', 'DataView'], buffer);
    }
    if (typeof byteOffset === 'string') {
      encoding = byteOffset;
      byteOffset = undefined;
    } else if (byteOffset > 0x7fffffff) {
      byteOffset = 0x7fffffff;
    } else if (byteOffset < -0x80000000) {
      byteOffset = -0x80000000;
    }
    byteOffset = +byteOffset;
    if (numberIsNaN(byteOffset)) byteOffset = dir ? 0 : (buffer.length || buffer.byteLength);
    byteOffset = mathTrunc(byteOffset);
    dir = !!dir;
    if (typeof value === 'number') {
      return binding.indexOfByte(bytesOf(buffer), (value >>> 0) & 0xff, byteOffset, dir);
    }
    const id = encoding === undefined ? UTF8 : encodingId(encoding);
    if (typeof value === 'string') {
      if (id < 0) throw unknownEncoding(encoding);
      return binding.indexOf(bytesOf(buffer), value, id, byteOffset, dir);
    }
    if (isUint8Array(value)) {
      return binding.indexOf(bytesOf(buffer), value, id < 0 ? UTF8 : id, byteOffset, dir);
    }
    throw invalidArgType('value', ['number', 'string', 'Buffer', 'Uint8Array'], value);
  }

  methods.indexOf = function indexOf(value, byteOffset, encoding) {
    return bidirectionalIndexOf(this, value, byteOffset, encoding, true);
  };
  methods.lastIndexOf = function lastIndexOf(value, byteOffset, encoding) {
    return bidirectionalIndexOf(this, value, byteOffset, encoding, false);
  };
  methods.includes = function includes(value, byteOffset, encoding) {
    return this.indexOf(value, byteOffset, encoding) !== -1;
  };

  // buf.fill(number | Buffer | Uint8Array | string[, offset[, end]][, encoding])
  function fillBuffer(buffer, value, offset, end, encoding) {
    if (typeof value === 'string') {
      if (offset === undefined || typeof offset === 'string') {
        encoding = offset;
        offset = 0;
        end = buffer.length;
      } else if (typeof end === 'string') {
        encoding = end;
        end = buffer.length;
      }
      const id = normalizedEncoding(encoding);
      if (id < 0) {
        if (typeof encoding !== 'string') throw invalidArgType('encoding', 'string', encoding);
        throw unknownEncoding(encoding);
      }
      encoding = id;
      if (value.length === 0) {
        value = 0;
      } else if (value.length === 1) {
        // One byte: a numeric fill.
        if (id === UTF8) {
          const code = charCodeAt(value, 0);
          if (code < 128) value = code;
        } else if (id === LATIN1) {
          value = charCodeAt(value, 0);
        }
      }
    } else {
      encoding = UTF8;
    }
    if (offset === undefined) {
      offset = 0;
      end = buffer.length;
    } else {
      validateOffset(offset, 'offset');
      if (end === undefined) end = buffer.length;
      else validateOffset(end, 'end', 0, buffer.length);
      if (offset >= end) return buffer;
    }
    if (typeof value === 'number' || (typeof value !== 'string' && !isArrayBufferView(value))) {
      // Anything else is a number, as Node's native fill converts it.
      if (typeof value !== 'number') value = +value;
      const byteLength = typedArrayByteLength(buffer);
      if (offset > end || end - offset + offset > byteLength) throw bufferOutOfBounds();
      typedArrayFill(buffer, value, offset, end);
    } else {
      const result = binding.fill(buffer, typeof value === 'string' ? value : bytesOf(value),
        offset, end, encoding);
      if (result < 0) {
        if (result === -1) throw invalidArgValue('value', value);
        throw bufferOutOfBounds();
      }
    }
    return buffer;
  }
  methods.fill = function fill(value, offset, end, encoding) {
    return fillBuffer(this, value, offset, end, encoding);
  };

  methods.write = function write(string, offset, length, encoding) {
    const size = typedArrayLength(this);
    if (offset === undefined) return writeWith(this, string, UTF8, 0, size);
    if (length === undefined && typeof offset === 'string') {
      encoding = offset;
      length = size;
      offset = 0;
    } else {
      validateOffset(offset, 'offset', 0, size);
      const remaining = size - offset;
      if (length === undefined) {
        length = remaining;
      } else if (typeof length === 'string') {
        encoding = length;
        length = remaining;
      } else {
        validateOffset(length, 'length', 0, size);
        if (length > remaining) length = remaining;
      }
    }
    if (!encoding) return writeWith(this, string, UTF8, offset, length);
    const id = encodingId(encoding);
    if (id < 0) throw unknownEncoding(encoding);
    return writeWith(this, string, id, offset, length);
  };
  function notAString() {
    return codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'argument must be a string');
  }
  function writeWith(buffer, string, id, offset, length) {
    if (typeof string !== 'string') throw notAString();
    if (length === 0) return 0;
    return binding.write(buffer, string, id, offset, length);
  }

  methods.toJSON = function toJSON() {
    const length = this.length;
    const data = new Array(length > 0 ? length : 0);
    for (let i = 0; i < length; ++i) data[i] = this[i];
    return { type: 'Buffer', data };
  };

  function adjustOffset(offset, length) {
    offset = mathTrunc(offset);
    if (offset === 0) return 0;
    if (offset < 0) {
      offset += length;
      return offset > 0 ? offset : 0;
    }
    if (offset < length) return offset;
    return numberIsNaN(offset) ? 0 : length;
  }
  methods.subarray = function subarray(start, end) {
    const length = this.length;
    start = adjustOffset(start, length);
    end = end !== undefined ? adjustOffset(end, length) : length;
    const newLength = end > start ? end - start : 0;
    return new FastBuffer(this.buffer, this.byteOffset + start, newLength);
  };
  methods.slice = function slice(start, end) {
    return this.subarray(start, end);
  };

  function swapBytes(buffer, size) {
    const length = buffer.length;
    if (length % size !== 0) {
      throw codedError(RangeError, 'ERR_INVALID_BUFFER_SIZE',
        `Buffer size must be a multiple of ${size * 8}-bits`);
    }
    binding.swap(buffer, size);
    return buffer;
  }
  methods.swap16 = function swap16() { return swapBytes(this, 2); };
  methods.swap32 = function swap32() { return swapBytes(this, 4); };
  methods.swap64 = function swap64() { return swapBytes(this, 8); };

  methods.toLocaleString = methods.toString;

  // ---- numbers ------------------------------------------------------------------
  function boundsError(value, length, type) {
    if (mathFloor(value) !== value) {
      validateNumber(value, type);
      throw outOfRange(type || 'offset', 'an integer', value);
    }
    if (length < 0) throw bufferOutOfBounds();
    throw outOfRange(type || 'offset', `>= ${type ? 1 : 0} and <= ${length}`, value);
  }
  // Throws unless `size` bytes from `offset` are inside the buffer.
  function checkBounds(buffer, offset, size) {
    validateNumber(offset, 'offset');
    if (buffer[offset] === undefined || buffer[offset + size - 1] === undefined) {
      boundsError(offset, buffer.length - size);
    }
  }
  function checkInt(value, min, max, buffer, offset, size) {
    if (value > max || value < min) {
      const n = typeof min === 'bigint' ? 'n' : '';
      let range;
      if (size > 4) {
        if (min === 0 || min === 0n) {
          range = `>= 0${n} and < 2${n} ** ${size * 8}${n}`;
        } else {
          range = `>= -(2${n} ** ${size * 8 - 1}${n}) and < 2${n} ** ${size * 8 - 1}${n}`;
        }
      } else {
        range = `>= ${min}${n} and <= ${max}${n}`;
      }
      throw rangeError('value', range, value);
    }
    checkBounds(buffer, offset, size);
  }

  // Unsigned integers of 1 to 6 bytes.
  function readUnsigned(buffer, offset, size, littleEndian) {
    checkBounds(buffer, offset, size);
    let value = 0;
    if (littleEndian) {
      for (let i = size - 1; i >= 0; i--) value = value * 256 + buffer[offset + i];
    } else {
      for (let i = 0; i < size; i++) value = value * 256 + buffer[offset + i];
    }
    return value;
  }
  function readSigned(buffer, offset, size, littleEndian) {
    const value = readUnsigned(buffer, offset, size, littleEndian);
    const limit = 2 ** (size * 8 - 1);
    return value >= limit ? value - limit * 2 : value;
  }
  // Stores `value` as `size` bytes: each byte is the value's low byte after a
  // shift, as typed-array stores convert numbers (fractions truncate, negative
  // numbers wrap).
  function storeBytes(buffer, value, offset, size, littleEndian) {
    const high = size > 4 ? mathFloor(value * 2 ** -32) : 0;
    const lowSize = size > 4 ? 4 : size;
    for (let i = 0; i < lowSize; i++) {
      buffer[littleEndian ? offset + i : offset + size - 1 - i] = value;
      value = value >>> 8;
    }
    let upper = high;
    for (let i = 4; i < size; i++) {
      buffer[littleEndian ? offset + i : offset + size - 1 - i] = upper;
      upper = upper >>> 8;
    }
    return offset + size;
  }
  function writeInteger(buffer, value, offset, size, littleEndian, min, max) {
    value = +value;
    if (size === 1) {
      validateNumber(offset, 'offset');
      if (value > max || value < min) throw outOfRange('value', `>= ${min} and <= ${max}`, value);
      if (buffer[offset] === undefined) boundsError(offset, buffer.length - 1);
      buffer[offset] = value;
      return offset + 1;
    }
    checkInt(value, min, max, buffer, offset, size);
    return storeBytes(buffer, value, offset, size, littleEndian);
  }
  const unsignedMax = [0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff, 0xffffffffffff];
  const signedMax = [0, 0x7f, 0x7fff, 0x7fffff, 0x7fffffff, 0x7fffffffff, 0x7fffffffffff];

  function sizeArgument(size) {
    if (size === 1 || size === 2 || size === 3 || size === 4 || size === 5 || size === 6) return size;
    return boundsError(size, 6, 'byteLength');
  }

  for (const [suffix, littleEndian] of [['LE', true], ['BE', false]]) {
    methods[`readUInt${suffix}`] = function (offset, byteLength) {
      if (offset === undefined) throw invalidArgType('offset', 'number', offset);
      return readUnsigned(this, offset, sizeArgument(byteLength), littleEndian);
    };
    methods[`readInt${suffix}`] = function (offset, byteLength) {
      if (offset === undefined) throw invalidArgType('offset', 'number', offset);
      return readSigned(this, offset, sizeArgument(byteLength), littleEndian);
    };
    methods[`writeUInt${suffix}`] = function (value, offset, byteLength) {
      const size = sizeArgument(byteLength);
      return writeInteger(this, value, offset, size, littleEndian, 0, unsignedMax[size]);
    };
    methods[`writeInt${suffix}`] = function (value, offset, byteLength) {
      const size = sizeArgument(byteLength);
      return writeInteger(this, value, offset, size, littleEndian, -signedMax[size] - 1, signedMax[size]);
    };
    for (const size of [2, 4]) {
      const bits = size * 8;
      methods[`readUInt${bits}${suffix}`] = function (offset = 0) {
        return readUnsigned(this, offset, size, littleEndian);
      };
      methods[`readInt${bits}${suffix}`] = function (offset = 0) {
        return readSigned(this, offset, size, littleEndian);
      };
      methods[`writeUInt${bits}${suffix}`] = function (value, offset = 0) {
        return writeInteger(this, value, offset, size, littleEndian, 0, unsignedMax[size]);
      };
      methods[`writeInt${bits}${suffix}`] = function (value, offset = 0) {
        return writeInteger(this, value, offset, size, littleEndian, -signedMax[size] - 1, signedMax[size]);
      };
    }
  }
  methods.readUInt8 = function readUInt8(offset = 0) { return readUnsigned(this, offset, 1, true); };
  methods.readInt8 = function readInt8(offset = 0) { return readSigned(this, offset, 1, true); };
  methods.writeUInt8 = function writeUInt8(value, offset = 0) {
    return writeInteger(this, value, offset, 1, true, 0, 0xff);
  };
  methods.writeInt8 = function writeInt8(value, offset = 0) {
    return writeInteger(this, value, offset, 1, true, -0x80, 0x7f);
  };

  // The 1, 2 and 4 byte forms again, straight-line: scripts call them in hot
  // loops, where the interpreter pays for every call and loop above.
  function notANumber(offset) {
    return invalidArgType('offset', 'number', offset);
  }
  function checkValue(value, min, max) {
    if (value > max || value < min) throw outOfRange('value', `>= ${min} and <= ${max}`, value);
  }
  const fast = {
    readUInt8: function readUInt8(offset = 0) {
      if (typeof offset !== 'number') throw notANumber(offset);
      const a = this[offset];
      if (a === undefined) boundsError(offset, this.length - 1);
      return a;
    },
    readInt8: function readInt8(offset = 0) {
      if (typeof offset !== 'number') throw notANumber(offset);
      const a = this[offset];
      if (a === undefined) boundsError(offset, this.length - 1);
      return a > 0x7f ? a - 0x100 : a;
    },
    readUInt16LE: function readUInt16LE(offset = 0) {
      if (typeof offset !== 'number') throw notANumber(offset);
      const a = this[offset], b = this[offset + 1];
      if (a === undefined || b === undefined) boundsError(offset, this.length - 2);
      return a + b * 0x100;
    },
    readUInt16BE: function readUInt16BE(offset = 0) {
      if (typeof offset !== 'number') throw notANumber(offset);
      const a = this[offset], b = this[offset + 1];
      if (a === undefined || b === undefined) boundsError(offset, this.length - 2);
      return a * 0x100 + b;
    },
    readInt16LE: function readInt16LE(offset = 0) {
      if (typeof offset !== 'number') throw notANumber(offset);
      const a = this[offset], b = this[offset + 1];
      if (a === undefined || b === undefined) boundsError(offset, this.length - 2);
      const value = a + b * 0x100;
      return value > 0x7fff ? value - 0x10000 : value;
    },
    readInt16BE: function readInt16BE(offset = 0) {
      if (typeof offset !== 'number') throw notANumber(offset);
      const a = this[offset], b = this[offset + 1];
      if (a === undefined || b === undefined) boundsError(offset, this.length - 2);
      const value = a * 0x100 + b;
      return value > 0x7fff ? value - 0x10000 : value;
    },
    readUInt32LE: function readUInt32LE(offset = 0) {
      if (typeof offset !== 'number') throw notANumber(offset);
      const a = this[offset], d = this[offset + 3];
      if (a === undefined || d === undefined) boundsError(offset, this.length - 4);
      return a + this[offset + 1] * 0x100 + this[offset + 2] * 0x10000 + d * 0x1000000;
    },
    readUInt32BE: function readUInt32BE(offset = 0) {
      if (typeof offset !== 'number') throw notANumber(offset);
      const a = this[offset], d = this[offset + 3];
      if (a === undefined || d === undefined) boundsError(offset, this.length - 4);
      return a * 0x1000000 + this[offset + 1] * 0x10000 + this[offset + 2] * 0x100 + d;
    },
    readInt32LE: function readInt32LE(offset = 0) {
      if (typeof offset !== 'number') throw notANumber(offset);
      const a = this[offset], d = this[offset + 3];
      if (a === undefined || d === undefined) boundsError(offset, this.length - 4);
      return a + this[offset + 1] * 0x100 + this[offset + 2] * 0x10000 + (d << 24);
    },
    readInt32BE: function readInt32BE(offset = 0) {
      if (typeof offset !== 'number') throw notANumber(offset);
      const a = this[offset], d = this[offset + 3];
      if (a === undefined || d === undefined) boundsError(offset, this.length - 4);
      return (a << 24) + this[offset + 1] * 0x10000 + this[offset + 2] * 0x100 + d;
    },
    writeUInt8: function writeUInt8(value, offset = 0) {
      value = +value;
      if (typeof offset !== 'number') throw notANumber(offset);
      checkValue(value, 0, 0xff);
      if (this[offset] === undefined) boundsError(offset, this.length - 1);
      this[offset] = value;
      return offset + 1;
    },
    writeInt8: function writeInt8(value, offset = 0) {
      value = +value;
      if (typeof offset !== 'number') throw notANumber(offset);
      checkValue(value, -0x80, 0x7f);
      if (this[offset] === undefined) boundsError(offset, this.length - 1);
      this[offset] = value;
      return offset + 1;
    },
  };
  fast.writeUInt16LE = function writeUInt16LE(value, offset = 0) {
    value = +value;
    if (value > 65535 || value < 0) checkValue(value, 0, 65535);
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 1] === undefined) boundsError(offset, this.length - 2);
    this[offset] = value;
    this[offset + 1] = value >>> 8;
    return offset + 2;
  };
  fast.writeUInt16BE = function writeUInt16BE(value, offset = 0) {
    value = +value;
    if (value > 65535 || value < 0) checkValue(value, 0, 65535);
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 1] === undefined) boundsError(offset, this.length - 2);
    this[offset + 1] = value;
    this[offset] = value >>> 8;
    return offset + 2;
  };
  fast.writeInt16LE = function writeInt16LE(value, offset = 0) {
    value = +value;
    if (value > 32767 || value < -32768) checkValue(value, -32768, 32767);
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 1] === undefined) boundsError(offset, this.length - 2);
    this[offset] = value;
    this[offset + 1] = value >>> 8;
    return offset + 2;
  };
  fast.writeInt16BE = function writeInt16BE(value, offset = 0) {
    value = +value;
    if (value > 32767 || value < -32768) checkValue(value, -32768, 32767);
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 1] === undefined) boundsError(offset, this.length - 2);
    this[offset + 1] = value;
    this[offset] = value >>> 8;
    return offset + 2;
  };
  fast.writeUInt32LE = function writeUInt32LE(value, offset = 0) {
    value = +value;
    if (value > 4294967295 || value < 0) checkValue(value, 0, 4294967295);
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 3] === undefined) boundsError(offset, this.length - 4);
    this[offset] = value;
    this[offset + 1] = value >>> 8;
    this[offset + 2] = value >>> 16;
    this[offset + 3] = value >>> 24;
    return offset + 4;
  };
  fast.writeUInt32BE = function writeUInt32BE(value, offset = 0) {
    value = +value;
    if (value > 4294967295 || value < 0) checkValue(value, 0, 4294967295);
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 3] === undefined) boundsError(offset, this.length - 4);
    this[offset + 3] = value;
    this[offset + 2] = value >>> 8;
    this[offset + 1] = value >>> 16;
    this[offset] = value >>> 24;
    return offset + 4;
  };
  fast.writeInt32LE = function writeInt32LE(value, offset = 0) {
    value = +value;
    if (value > 2147483647 || value < -2147483648) checkValue(value, -2147483648, 2147483647);
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 3] === undefined) boundsError(offset, this.length - 4);
    this[offset] = value;
    this[offset + 1] = value >>> 8;
    this[offset + 2] = value >>> 16;
    this[offset + 3] = value >>> 24;
    return offset + 4;
  };
  fast.writeInt32BE = function writeInt32BE(value, offset = 0) {
    value = +value;
    if (value > 2147483647 || value < -2147483648) checkValue(value, -2147483648, 2147483647);
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 3] === undefined) boundsError(offset, this.length - 4);
    this[offset + 3] = value;
    this[offset + 2] = value >>> 8;
    this[offset + 1] = value >>> 16;
    this[offset] = value >>> 24;
    return offset + 4;
  };
  fast.readFloatLE = function readFloatLE(offset = 0) {
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 3] === undefined) boundsError(offset, this.length - 4);
    float32Bytes[0 ^ flip4] = this[offset + 0];
    float32Bytes[1 ^ flip4] = this[offset + 1];
    float32Bytes[2 ^ flip4] = this[offset + 2];
    float32Bytes[3 ^ flip4] = this[offset + 3];
    return float32[0];
  };
  fast.writeFloatLE = function writeFloatLE(value, offset = 0) {
    value = +value;
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 3] === undefined) boundsError(offset, this.length - 4);
    float32[0] = value;
    this[offset + 0] = float32Bytes[0 ^ flip4];
    this[offset + 1] = float32Bytes[1 ^ flip4];
    this[offset + 2] = float32Bytes[2 ^ flip4];
    this[offset + 3] = float32Bytes[3 ^ flip4];
    return offset + 4;
  };
  fast.readFloatBE = function readFloatBE(offset = 0) {
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 3] === undefined) boundsError(offset, this.length - 4);
    float32Bytes[3 ^ flip4] = this[offset + 0];
    float32Bytes[2 ^ flip4] = this[offset + 1];
    float32Bytes[1 ^ flip4] = this[offset + 2];
    float32Bytes[0 ^ flip4] = this[offset + 3];
    return float32[0];
  };
  fast.writeFloatBE = function writeFloatBE(value, offset = 0) {
    value = +value;
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 3] === undefined) boundsError(offset, this.length - 4);
    float32[0] = value;
    this[offset + 0] = float32Bytes[3 ^ flip4];
    this[offset + 1] = float32Bytes[2 ^ flip4];
    this[offset + 2] = float32Bytes[1 ^ flip4];
    this[offset + 3] = float32Bytes[0 ^ flip4];
    return offset + 4;
  };
  fast.readDoubleLE = function readDoubleLE(offset = 0) {
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 7] === undefined) boundsError(offset, this.length - 8);
    float64Bytes[0 ^ flip8] = this[offset + 0];
    float64Bytes[1 ^ flip8] = this[offset + 1];
    float64Bytes[2 ^ flip8] = this[offset + 2];
    float64Bytes[3 ^ flip8] = this[offset + 3];
    float64Bytes[4 ^ flip8] = this[offset + 4];
    float64Bytes[5 ^ flip8] = this[offset + 5];
    float64Bytes[6 ^ flip8] = this[offset + 6];
    float64Bytes[7 ^ flip8] = this[offset + 7];
    return float64[0];
  };
  fast.writeDoubleLE = function writeDoubleLE(value, offset = 0) {
    value = +value;
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 7] === undefined) boundsError(offset, this.length - 8);
    float64[0] = value;
    this[offset + 0] = float64Bytes[0 ^ flip8];
    this[offset + 1] = float64Bytes[1 ^ flip8];
    this[offset + 2] = float64Bytes[2 ^ flip8];
    this[offset + 3] = float64Bytes[3 ^ flip8];
    this[offset + 4] = float64Bytes[4 ^ flip8];
    this[offset + 5] = float64Bytes[5 ^ flip8];
    this[offset + 6] = float64Bytes[6 ^ flip8];
    this[offset + 7] = float64Bytes[7 ^ flip8];
    return offset + 8;
  };
  fast.readDoubleBE = function readDoubleBE(offset = 0) {
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 7] === undefined) boundsError(offset, this.length - 8);
    float64Bytes[7 ^ flip8] = this[offset + 0];
    float64Bytes[6 ^ flip8] = this[offset + 1];
    float64Bytes[5 ^ flip8] = this[offset + 2];
    float64Bytes[4 ^ flip8] = this[offset + 3];
    float64Bytes[3 ^ flip8] = this[offset + 4];
    float64Bytes[2 ^ flip8] = this[offset + 5];
    float64Bytes[1 ^ flip8] = this[offset + 6];
    float64Bytes[0 ^ flip8] = this[offset + 7];
    return float64[0];
  };
  fast.writeDoubleBE = function writeDoubleBE(value, offset = 0) {
    value = +value;
    if (typeof offset !== 'number') throw notANumber(offset);
    if (this[offset] === undefined || this[offset + 7] === undefined) boundsError(offset, this.length - 8);
    float64[0] = value;
    this[offset + 0] = float64Bytes[7 ^ flip8];
    this[offset + 1] = float64Bytes[6 ^ flip8];
    this[offset + 2] = float64Bytes[5 ^ flip8];
    this[offset + 3] = float64Bytes[4 ^ flip8];
    this[offset + 4] = float64Bytes[3 ^ flip8];
    this[offset + 5] = float64Bytes[2 ^ flip8];
    this[offset + 6] = float64Bytes[1 ^ flip8];
    this[offset + 7] = float64Bytes[0 ^ flip8];
    return offset + 8;
  };
  // 64-bit integers as BigInt.
  function readBig(buffer, offset, littleEndian, signed) {
    checkBounds(buffer, offset, 8);
    const first = readUnsigned(buffer, offset, 4, littleEndian);
    const second = readUnsigned(buffer, offset + 4, 4, littleEndian);
    const [low, high] = littleEndian ? [first, second] : [second, first];
    const value = (BigIntCtor(high) << 32n) + BigIntCtor(low);
    return signed ? bigIntAsIntN(64, value) : value;
  }
  function writeBig(buffer, value, offset, littleEndian, min, max) {
    checkInt(value, min, max, buffer, offset, 8);
    const low = Number(value & 0xffffffffn);
    const high = Number((value >> 32n) & 0xffffffffn);
    storeBytes(buffer, littleEndian ? low : high, offset, 4, littleEndian);
    storeBytes(buffer, littleEndian ? high : low, offset + 4, 4, littleEndian);
    return offset + 8;
  }
  for (const [suffix, littleEndian] of [['LE', true], ['BE', false]]) {
    methods[`readBigUInt64${suffix}`] = function (offset = 0) {
      return readBig(this, offset, littleEndian, false);
    };
    methods[`readBigInt64${suffix}`] = function (offset = 0) {
      return readBig(this, offset, littleEndian, true);
    };
    methods[`writeBigUInt64${suffix}`] = function (value, offset = 0) {
      return writeBig(this, value, offset, littleEndian, 0n, 0xffffffffffffffffn);
    };
    methods[`writeBigInt64${suffix}`] = function (value, offset = 0) {
      return writeBig(this, value, offset, littleEndian, -(2n ** 63n), 2n ** 63n - 1n);
    };
  }

  // Floats through a scratch array in the machine's byte order (the fast
  // methods above read and write through it).
  const float32 = new Float32Array(1);
  const float32Bytes = new Uint8Array(float32.buffer);
  const float64 = new Float64Array(1);
  const float64Bytes = new Uint8Array(float64.buffer);
  float32[0] = -1;
  const bigEndianHost = float32Bytes[3] === 0;
  // Scratch byte for byte i of a little-endian value.
  const flip4 = bigEndianHost ? 3 : 0;
  const flip8 = bigEndianHost ? 7 : 0;
  for (const name of Object.keys(fast)) methods[name] = fast[name];

  // Node's names: the functions are shared by both spellings, and named
  // after the UInt one.
  for (const name of ['readUInt8', 'writeUInt8', 'readUInt16LE', 'readUInt16BE', 'readUInt32LE',
    'readUInt32BE', 'readUIntLE', 'readUIntBE', 'readIntLE', 'readIntBE', 'readInt16LE', 'readInt16BE',
    'readInt32LE', 'readInt32BE', 'writeUIntLE', 'writeUIntBE', 'writeIntLE', 'writeIntBE',
    'writeUInt16LE', 'writeUInt16BE', 'writeUInt32LE', 'writeUInt32BE', 'writeInt16LE',
    'writeInt16BE', 'writeInt32LE', 'writeInt32BE', 'readFloatLE', 'readFloatBE', 'readDoubleLE',
    'readDoubleBE', 'writeFloatLE', 'writeFloatBE', 'writeDoubleLE', 'writeDoubleBE',
    'readBigUInt64LE', 'readBigUInt64BE', 'readBigInt64LE', 'readBigInt64BE',
    'writeBigUInt64LE', 'writeBigUInt64BE', 'writeBigInt64LE', 'writeBigInt64BE']) {
    named(name, methods[name]);
    if (name.includes('UInt')) methods[name.replace('UInt', 'Uint')] = methods[name];
  }

  for (let id = 0; id < encodingNames.length; id++) {
    const name = id === UCS2 ? 'ucs2' : encodingNames[id];
    methods[`${name}Slice`] = named(`${name}Slice`, slicer(id));
    methods[`${name}Write`] = named(`${name}Write`, writer(id));
  }


  function defineAccessors() {
    defineProperty(proto, 'parent', {
      __proto__: null,
      enumerable: true,
      configurable: true,
      get() { return this instanceof Buffer ? this.buffer : undefined; },
    });
    defineProperty(proto, 'offset', {
      __proto__: null,
      enumerable: true,
      configurable: true,
      get() { return this instanceof Buffer ? this.byteOffset : undefined; },
    });
  }

  // Node's order (its prototype's property order shows in for-in and inspect).
  const prototypeOrder = ('readBigUInt64LE readBigUInt64BE readBigUint64LE readBigUint64BE ' +
    'readBigInt64LE readBigInt64BE writeBigUInt64LE writeBigUInt64BE writeBigUint64LE ' +
    'writeBigUint64BE writeBigInt64LE writeBigInt64BE readUIntLE readUInt32LE readUInt16LE ' +
    'readUInt8 readUIntBE readUInt32BE readUInt16BE readUintLE readUint32LE readUint16LE ' +
    'readUint8 readUintBE readUint32BE readUint16BE readIntLE readInt32LE readInt16LE readInt8 ' +
    'readIntBE readInt32BE readInt16BE writeUIntLE writeUInt32LE writeUInt16LE writeUInt8 ' +
    'writeUIntBE writeUInt32BE writeUInt16BE writeUintLE writeUint32LE writeUint16LE writeUint8 ' +
    'writeUintBE writeUint32BE writeUint16BE writeIntLE writeInt32LE writeInt16LE writeInt8 ' +
    'writeIntBE writeInt32BE writeInt16BE readFloatLE readFloatBE readDoubleLE readDoubleBE ' +
    'writeFloatLE writeFloatBE writeDoubleLE writeDoubleBE asciiSlice base64Slice ' +
    'base64urlSlice latin1Slice hexSlice ucs2Slice utf8Slice asciiWrite base64Write ' +
    'base64urlWrite latin1Write hexWrite ucs2Write utf8Write parent offset copy toString equals ' +
    'inspect compare indexOf lastIndexOf includes fill write toJSON subarray slice swap16 ' +
    'swap32 swap64 toLocaleString').split(' ');
  for (let i = 0; i < prototypeOrder.length; i++) {
    const name = prototypeOrder[i];
    if (name === 'parent') {
      defineAccessors();
      continue;
    }
    if (name === 'offset') continue;
    if (name === 'inspect') proto[customInspect] = methods.inspect;
    proto[name] = methods[name];
  }

  // ---- atob, btoa, isUtf8, isAscii ---------------------------------------------
  function missingArgs(name) {
    return codedError(TypeError, 'ERR_MISSING_ARGS', `The "${name}" argument must be specified`);
  }
  function invalidCharacter(message) {
    return new DOMException(message, 'InvalidCharacterError');
  }

  function btoa(input) {
    if (arguments.length === 0) throw missingArgs('input');
    input = `${input}`;
    for (let i = 0; i < input.length; i++) {
      if (charCodeAt(input, i) > 0xff) throw invalidCharacter('Invalid character');
    }
    return binding.slice(fromStringWith(input, LATIN1), BASE64, 0, input.length);
  }

  // WHATWG forgiving-base64 decode, with Node's checks and messages.
  function atob(input) {
    if (arguments.length === 0) throw missingArgs('input');
    input = `${input}`;
    let significant = 0;
    let equals = 0;
    for (let i = 0; i < input.length; i++) {
      const c = charCodeAt(input, i);
      if (c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20) continue;
      const alphabet = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
        (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
      if (c === 0x3d) {
        significant++;
        equals++;
        if (equals > 2) throw invalidCharacter('Invalid character');
      } else if (alphabet) {
        significant++;
        if (equals) throw invalidCharacter('Invalid character');
      } else {
        throw invalidCharacter('Invalid character');
      }
    }
    let reminder = significant % 4;
    if (!reminder) {
      reminder = (significant - equals) % 4;
    } else if (equals) {
      throw invalidCharacter('Invalid character');
    }
    if (reminder === 1) {
      throw invalidCharacter('The string to be decoded is not correctly encoded.');
    }
    const bytes = fromStringWith(input, BASE64);
    return binding.slice(bytes, LATIN1, 0, typedArrayLength(bytes));
  }

  // isUtf8/isAscii: a view over a detached buffer is empty (as in Node); a
  // detached ArrayBuffer itself is refused.
  function validateBytes(input, check) {
    if (isTypedArray(input)) return check(input) !== 0;
    if (isAnyArrayBuffer(input)) {
      let bytes;
      try {
        bytes = new Uint8Array(input);
      } catch {
        throw codedError(Error, 'ERR_INVALID_STATE', 'Cannot validate on a detached buffer');
      }
      return check(bytes) !== 0;
    }
    throw invalidArgType('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input);
  }
  function isUtf8(input) {
    return validateBytes(input, binding.isUtf8);
  }
  function isAscii(input) {
    return validateBytes(input, binding.isAscii);
  }

  // ---- Blob ------------------------------------------------------------------------
  const disallowedType = /[^\u0020-\u007E]/;
  function blobType(type) {
    type = `${type}`;
    return regExpTest(disallowedType, type) ? '' : toLowerCase(type);
  }
  function invalidThis(type) {
    return codedError(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${type}`);
  }

  class Blob {
    #bytes;
    #type;

    constructor(sources = [], options) {
      if (sources === null || typeof sources[Symbol.iterator] !== 'function' || typeof sources === 'string') {
        throw invalidArgType('sources', 'a sequence', sources);
      }
      if (options !== undefined && options !== null && typeof options !== 'object' &&
          typeof options !== 'function') {
        throw invalidArgType('options', 'a dictionary', options);
      }
      const { type = '', endings = 'transparent' } = options ?? {};
      const ending = `${endings}`;
      if (ending !== 'transparent' && ending !== 'native') {
        throw invalidArgValue('options.endings', ending);
      }
      let length = 0;
      const parts = arrayFrom(sources, (source) => {
        const part = blobPart(source, ending);
        length += part.length;
        return part;
      });
      if (length > kMaxLength) {
        throw codedError(RangeError, 'ERR_BUFFER_TOO_LARGE',
          `Cannot create a Buffer larger than ${kMaxLength} bytes`);
      }
      const bytes = createBuffer(length);
      let position = 0;
      for (let i = 0; i < parts.length; i++) {
        typedArraySet(bytes, parts[i], position);
        position += parts[i].length;
      }
      this.#bytes = bytes;
      this.#type = blobType(type);
    }

    static #of(bytes, type) {
      const blob = new Blob();
      blob.#bytes = bytes;
      blob.#type = type;
      return blob;
    }

    static #bytesOf(blob) {
      return #bytes in blob ? blob.#bytes : undefined;
    }

    get type() {
      if (!(#bytes in this)) throw invalidThis('Blob');
      return this.#type;
    }

    get size() {
      if (!(#bytes in this)) throw invalidThis('Blob');
      return this.#bytes.length;
    }

    slice(start = 0, end = this.size, contentType = '') {
      if (!(#bytes in this)) throw invalidThis('Blob');
      const length = this.#bytes.length;
      start = start < 0 ? mathMax(length + start, 0) : mathMin(start, length);
      end = end < 0 ? mathMax(length + end, 0) : mathMin(end, length);
      const span = mathMax(end - start, 0);
      return Blob.#of(copyRange(this.#bytes, start, start + span), blobType(contentType));
    }

    arrayBuffer() {
      if (!(#bytes in this)) return promiseReject(invalidThis('Blob'));
      const bytes = this.#bytes;
      return promiseResolve(typedArrayBuffer(copyRange(bytes, 0, bytes.length)));
    }

    text() {
      if (!(#bytes in this)) return promiseReject(invalidThis('Blob'));
      const bytes = this.#bytes;
      // As TextDecoder decodes: a leading byte order mark is dropped.
      const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
      return promiseResolve(binding.slice(bytes, UTF8, start, bytes.length));
    }

    bytes() {
      if (!(#bytes in this)) return promiseReject(invalidThis('Blob'));
      const copy = typedArrayBuffer(copyRange(this.#bytes, 0, this.#bytes.length));
      return promiseResolve(new Uint8Array(copy));
    }

    [customInspect](depth, options) {
      if (depth < 0) return this;
      const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
      return `Blob ${core.util.inspect({ size: this.size, type: this.type }, opts)}`;
    }

    static {
      blobBytes = (blob) => Blob.#bytesOf(blob);
    }
  }
  var blobBytes;
  defineProperty(Blob.prototype, Symbol.toStringTag, {
    __proto__: null, value: 'Blob', configurable: true,
  });
  for (const name of ['type', 'size', 'slice', 'arrayBuffer', 'bytes', 'text']) {
    const desc = getOwnPropertyDescriptor(Blob.prototype, name);
    desc.enumerable = true;
    defineProperty(Blob.prototype, name, desc);
  }

  // A part of a Blob as bytes of its own.
  function blobPart(source, ending) {
    const fromBlob = source !== null && typeof source === 'object' ? blobBytes(source) : undefined;
    if (fromBlob !== undefined) return fromBlob;
    if (isAnyArrayBuffer(source)) source = new Uint8Array(source);
    if (isArrayBufferView(source)) {
      const bytes = bytesOf(source);
      return copyRange(bytes, 0, typedArrayByteLength(bytes));
    }
    source = `${source}`;
    if (ending === 'native') source = stringReplace(source, /\r?\n/g, '\n');
    return fromStringWith(source, UTF8);
  }

  // ---- the module ---------------------------------------------------------------
  const constants = defineProperties({}, {
    MAX_LENGTH: { __proto__: null, value: kMaxLength, writable: false, enumerable: true },
    MAX_STRING_LENGTH: { __proto__: null, value: kStringMaxLength, writable: false, enumerable: true },
  });

  const exports = {
    Blob,
    Buffer,
    SlowBuffer,
    isUtf8,
    isAscii,
    kMaxLength,
    kStringMaxLength,
    btoa,
    atob,
  };
  defineProperties(exports, {
    constants: { __proto__: null, configurable: false, enumerable: true, value: constants },
    INSPECT_MAX_BYTES: {
      __proto__: null,
      configurable: true,
      enumerable: true,
      get() { return INSPECT_MAX_BYTES; },
      set(value) {
        validateNumber(value, 'INSPECT_MAX_BYTES', 0);
        INSPECT_MAX_BYTES = value;
      },
    },
  });

  return {
    __proto__: null,
    exports,
    Buffer,
    FastBuffer,
    // For other built-in modules: a Uint8Array made natively, as a Buffer.
    toBuffer,
    // Decodes a view's bytes (`encoding` as Buffer names it; throws Node's
    // ERR_UNKNOWN_ENCODING for others).
    decode(bytes, encoding) {
      const id = encoding === undefined ? UTF8 : encodingId(encoding);
      if (id < 0) throw unknownEncoding(encoding);
      return binding.slice(bytesOf(bytes), id, 0, typedArrayByteLength(bytes));
    },
    // A string's bytes in `encoding`, as a Buffer.
    encode(string, encoding) {
      return fromString(string, encoding);
    },
    isEncoding: Buffer.isEncoding,
  };
})
