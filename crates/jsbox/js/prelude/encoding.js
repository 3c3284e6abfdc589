// TextEncoder and TextDecoder (WHATWG Encoding), as Node 20's
// lib/internal/encoding.js has them (Node.js is MIT licensed, Copyright
// Joyent, Inc. and other Node contributors). Loaded the first time a script
// reads either global or util.TextEncoder/TextDecoder; the bytes are encoded
// and decoded in Rust (src/builtins/encoding.rs).
//
// Encodings: utf-8, utf-16le, utf-16be and windows-1252, under every WHATWG
// label Node maps to them. Node 20's own quirks are kept: a TextDecoder that
// never streamed decodes utf-8 and windows-1252 on a fast path (windows-1252
// then reads as ISO-8859-1, and `ignoreBOM` drops a leading 0xFF byte); once
// a decoder streamed, it uses the converter path (windows-1252 proper).
(function (host, core) {
  'use strict';
  const binding = core.binding('encoding');
  const { codedError } = core;
  const { reflectApply, defineProperty, getPrototypeOf } = core.primordials;

  const errors = () => core.load('errors');
  const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

  const typedArrayTag = Object.getOwnPropertyDescriptor(
    getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;
  const dataViewProto = DataView.prototype;
  const dataViewBuffer = Object.getOwnPropertyDescriptor(dataViewProto, 'buffer').get;
  const dataViewOffset = Object.getOwnPropertyDescriptor(dataViewProto, 'byteOffset').get;
  const dataViewLength = Object.getOwnPropertyDescriptor(dataViewProto, 'byteLength').get;
  const Uint8ArrayCtor = Uint8Array;
  const empty = new Uint8ArrayCtor(0);
  const kEmptyObject = Object.freeze({ __proto__: null });

  const isUint8Array = (value) => reflectApply(typedArrayTag, value, []) === 'Uint8Array';

  const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype);
  const typedArrayBuffer = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'buffer').get;
  const typedArrayOffset = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'byteOffset').get;
  const typedArrayByteLength = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'byteLength').get;
  const bufferResizable = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable').get;

  // The bytes a typed array covers now. The engine's C API reports the
  // length a view of a resizable buffer had when it was made, so such a view
  // is passed on as a fixed one over the same bytes; anything else as it is.
  function currentView(value) {
    let buffer;
    try {
      buffer = reflectApply(typedArrayBuffer, value, []);
      if (!reflectApply(bufferResizable, buffer, [])) return value;
    } catch {
      return value; // not a typed array, or a SharedArrayBuffer's
    }
    return new Uint8ArrayCtor(buffer, reflectApply(typedArrayOffset, value, []),
      reflectApply(typedArrayByteLength, value, []));
  }

  // A DataView's bytes as a Uint8Array (the binding reads buffers and typed
  // arrays only); undefined for anything that is not a DataView.
  function dataViewBytes(value) {
    if (value === null || typeof value !== 'object') return undefined;
    let buffer;
    try {
      buffer = reflectApply(dataViewBuffer, value, []);
    } catch {
      return undefined;
    }
    try {
      return new Uint8ArrayCtor(buffer, reflectApply(dataViewOffset, value, []),
        reflectApply(dataViewLength, value, []));
    } catch {
      return empty; // detached
    }
  }

  // `${value}`, with V8's message for a Symbol.
  function toString(value) {
    if (typeof value === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
    return `${value}`;
  }

  function invalidThis(type) {
    return codedError(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${type}`);
  }

  function invalidData(encoding) {
    return codedError(TypeError, 'ERR_ENCODING_INVALID_ENCODED_DATA',
      `The encoded data was not valid for encoding ${encoding}`);
  }

  // validateObject(value, name, kValidateObjectAllowObjectsAndNull)
  function validateOptions(value) {
    if (value !== null && typeof value !== 'object' && typeof value !== 'function') {
      throw errors().invalidArgType('options', 'Object', value);
    }
  }

  // The WHATWG labels of the encodings jsbox decodes (Node's table, cut to them).
  const encodings = { __proto__: null };
  for (const [name, labels] of [
    ['utf-8', ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf8', 'utf-8', 'x-unicode20utf8']],
    ['windows-1252', ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819',
      'iso-8859-1', 'iso-ir-100', 'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1',
      'latin1', 'us-ascii', 'windows-1252', 'x-cp1252']],
    ['utf-16be', ['unicodefffe', 'utf-16be']],
    ['utf-16le', ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16le', 'utf-16']],
  ]) {
    for (const label of labels) encodings[label] = name;
  }
  const streamEncoding = { __proto__: null, 'utf-8': 0, 'utf-16le': 1, 'utf-16be': 2, 'windows-1252': 3 };

  // String.prototype.trim would also remove non-ASCII whitespace.
  function trimAsciiWhitespace(label) {
    const ws = (c) => c === '\t' || c === '\n' || c === '\f' || c === '\r' || c === ' ';
    let s = 0;
    let e = label.length;
    while (s < e && ws(label[s])) s++;
    while (e > s && ws(label[e - 1])) e--;
    return label.slice(s, e);
  }

  function getEncodingFromLabel(label) {
    const enc = encodings[label];
    if (enc !== undefined) return enc;
    return encodings[trimAsciiWhitespace(label.toLowerCase())];
  }

  class TextEncoder {
    #encoder = true;

    static #is(value) {
      return value !== null && (typeof value === 'object' || typeof value === 'function') && #encoder in value;
    }

    get encoding() {
      if (!TextEncoder.#is(this)) throw invalidThis('TextEncoder');
      return 'utf-8';
    }

    encode(input = '') {
      if (!TextEncoder.#is(this)) throw invalidThis('TextEncoder');
      return binding.encode(typeof input === 'string' ? input : toString(input));
    }

    encodeInto(src, dest) {
      if (!TextEncoder.#is(this)) throw invalidThis('TextEncoder');
      errors().validateString(src, 'src');
      if (!dest || !isUint8Array(dest)) throw errors().invalidArgType('dest', 'Uint8Array', dest);
      return binding.encodeInto(src, currentView(dest));
    }

    [inspectSymbol](depth, opts, inspect) {
      if (!TextEncoder.#is(this)) throw invalidThis('TextEncoder');
      if (typeof depth === 'number' && depth < 0) return this;
      return (inspect || core.util.inspect)({ encoding: this.encoding }, opts);
    }
  }

  const CONVERTER_FLAGS_FLUSH = 0x1;
  const CONVERTER_FLAGS_FATAL = 0x2;
  const CONVERTER_FLAGS_IGNORE_BOM = 0x4;

  class TextDecoder {
    #encoding;
    #flags;
    #fatal;
    #ignoreBOM;
    #utf8FastPath;
    #latin1FastPath;
    // The converter's state (pending bytes, BOM seen), made on first use.
    #state;

    static #is(value) {
      return value !== null && (typeof value === 'object' || typeof value === 'function') && #encoding in value;
    }

    constructor(encoding = 'utf-8', options = kEmptyObject) {
      encoding = toString(encoding);
      validateOptions(options);
      const enc = getEncodingFromLabel(encoding);
      if (enc === undefined) {
        throw codedError(RangeError, 'ERR_ENCODING_NOT_SUPPORTED', `The "${encoding}" encoding is not supported`);
      }
      let flags = 0;
      if (options !== null) {
        flags |= options.fatal ? CONVERTER_FLAGS_FATAL : 0;
        flags |= options.ignoreBOM ? CONVERTER_FLAGS_IGNORE_BOM : 0;
      }
      this.#flags = flags;
      this.#encoding = enc;
      this.#ignoreBOM = Boolean(options?.ignoreBOM);
      this.#fatal = Boolean(options?.fatal);
      this.#utf8FastPath = enc === 'utf-8';
      this.#latin1FastPath = enc === 'windows-1252';
    }

    decode(input = empty, options = kEmptyObject) {
      if (!TextDecoder.#is(this)) throw invalidThis('TextDecoder');
      input = currentView(input);

      this.#utf8FastPath &&= !(options?.stream);
      this.#latin1FastPath &&= !(options?.stream);

      if (this.#utf8FastPath) {
        let result = binding.decodeUtf8(input, this.#ignoreBOM, this.#fatal);
        if (result === undefined) {
          const view = dataViewBytes(input);
          if (view === undefined) {
            throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
              'The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.');
          }
          result = binding.decodeUtf8(view, this.#ignoreBOM, this.#fatal);
        }
        if (result === null) throw invalidData('utf-8');
        return result;
      }

      if (this.#latin1FastPath) {
        let result = binding.decodeLatin1(input, this.#ignoreBOM);
        if (result === undefined) {
          const view = dataViewBytes(input);
          if (view === undefined) {
            throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
              'The "input" argument must be an instance of ArrayBuffer, SharedArrayBuffer, or ArrayBufferView.');
          }
          result = binding.decodeLatin1(view, this.#ignoreBOM);
        }
        return result;
      }

      if (this.#state === undefined) this.#state = new Uint8ArrayCtor(binding.decoderStateSize);

      validateOptions(options);

      let flags = 0;
      if (options !== null) flags |= options.stream ? 0 : CONVERTER_FLAGS_FLUSH;

      const args = [this.#state, input, streamEncoding[this.#encoding], this.#fatal,
        this.#ignoreBOM, (flags & CONVERTER_FLAGS_FLUSH) !== 0];
      let result = reflectApply(binding.decodeStream, undefined, args);
      if (result === undefined) {
        const view = dataViewBytes(input);
        if (view === undefined) {
          throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
            'The "input" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.');
        }
        args[1] = view;
        result = reflectApply(binding.decodeStream, undefined, args);
      }
      if (result === null) throw invalidData(this.#encoding);
      return result;
    }

    get encoding() {
      if (!TextDecoder.#is(this)) throw invalidThis('TextDecoder');
      return this.#encoding;
    }

    get fatal() {
      if (!TextDecoder.#is(this)) throw invalidThis('TextDecoder');
      return (this.#flags & CONVERTER_FLAGS_FATAL) === CONVERTER_FLAGS_FATAL;
    }

    get ignoreBOM() {
      if (!TextDecoder.#is(this)) throw invalidThis('TextDecoder');
      return (this.#flags & CONVERTER_FLAGS_IGNORE_BOM) === CONVERTER_FLAGS_IGNORE_BOM;
    }

    [inspectSymbol](depth, opts, inspect) {
      if (!TextDecoder.#is(this)) throw invalidThis('TextDecoder');
      if (typeof depth === 'number' && depth < 0) return this;
      const constructor = getConstructorOf(this) || TextDecoder;
      const obj = { encoding: this.encoding, fatal: this.fatal, ignoreBOM: this.ignoreBOM };
      return `${constructor.name} ${(inspect || core.util.inspect)(obj)}`;
    }
  }

  function getConstructorOf(obj) {
    while (obj) {
      const descriptor = Object.getOwnPropertyDescriptor(obj, 'constructor');
      if (descriptor !== undefined && typeof descriptor.value === 'function' &&
          descriptor.value.name !== '') {
        return descriptor.value;
      }
      obj = getPrototypeOf(obj);
    }
    return null;
  }

  // As in Node: the methods and accessors are enumerable, and the classes
  // carry their tag.
  const enumerable = { __proto__: null, enumerable: true };
  for (const [proto, keys, tag] of [
    [TextEncoder.prototype, ['encode', 'encodeInto', 'encoding'], 'TextEncoder'],
    [TextDecoder.prototype, ['decode', 'encoding', 'fatal', 'ignoreBOM'], 'TextDecoder'],
  ]) {
    for (const key of keys) defineProperty(proto, key, enumerable);
    defineProperty(proto, Symbol.toStringTag, { __proto__: null, configurable: true, value: tag });
  }

  return { TextEncoder, TextDecoder };
})
