// string_decoder: Node 20's StringDecoder (lib/string_decoder.js; the
// decoding of src/string_decoder.cc is ported to src/builtins/encoding.rs).
// Node.js is MIT licensed, Copyright Joyent, Inc. and other Node contributors.
//
// The decoder's state is a 7-byte Uint8Array laid out as Node's (four bytes
// of an unfinished character, the bytes missing, the bytes buffered, the
// encoding), so lastChar, lastNeed and lastTotal read as in Node. The state
// and lastChar are Buffers when the buffer module is there, else Uint8Arrays.
(function (exports, require, module, internal) {
  'use strict';
  const binding = internal.binding('encoding');
  const { stringDecoderWrite, stringDecoderFlush, stringDecoderStateSize } = binding;

  const kNativeDecoder = Symbol('kNativeDecoder');
  const kMissingBytes = 4;
  const kBufferedBytes = 5;
  const kEncodingField = 6;
  // Node's `enum encoding` values.
  const encodingsMap = {
    __proto__: null, ascii: 0, utf8: 1, base64: 2, utf16le: 3, latin1: 4, hex: 5, base64url: 7,
  };

  const ArrayBufferIsView = ArrayBuffer.isView;
  const Uint8ArrayCtor = Uint8Array;
  const typedArraySubarray = Object.getPrototypeOf(Uint8Array.prototype).subarray;
  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  const typedArrayBuffer = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'buffer').get;
  const typedArrayOffset = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'byteOffset').get;
  const typedArrayByteLength = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'byteLength').get;
  const bufferResizable = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable').get;
  const dataViewProto = DataView.prototype;
  const dataViewBuffer = Object.getOwnPropertyDescriptor(dataViewProto, 'buffer').get;
  const dataViewOffset = Object.getOwnPropertyDescriptor(dataViewProto, 'byteOffset').get;
  const dataViewLength = Object.getOwnPropertyDescriptor(dataViewProto, 'byteLength').get;

  // Node's normalizeEncoding (lib/internal/util.js).
  function normalizeEncodingName(enc) {
    if (enc == null || enc === 'utf8' || enc === 'utf-8') return 'utf8';
    switch (enc.length) {
      case 4:
        if (enc === 'UTF8') return 'utf8';
        if (enc === 'ucs2' || enc === 'UCS2') return 'utf16le';
        enc = `${enc}`.toLowerCase();
        if (enc === 'utf8') return 'utf8';
        if (enc === 'ucs2') return 'utf16le';
        break;
      case 3:
        if (enc === 'hex' || enc === 'HEX' || `${enc}`.toLowerCase() === 'hex') return 'hex';
        break;
      case 5:
        if (enc === 'ascii') return 'ascii';
        if (enc === 'ucs-2') return 'utf16le';
        if (enc === 'UTF-8') return 'utf8';
        if (enc === 'ASCII') return 'ascii';
        if (enc === 'UCS-2') return 'utf16le';
        enc = `${enc}`.toLowerCase();
        if (enc === 'utf-8') return 'utf8';
        if (enc === 'ascii') return 'ascii';
        if (enc === 'ucs-2') return 'utf16le';
        break;
      case 6:
        if (enc === 'base64') return 'base64';
        if (enc === 'latin1' || enc === 'binary') return 'latin1';
        if (enc === 'BASE64') return 'base64';
        if (enc === 'LATIN1' || enc === 'BINARY') return 'latin1';
        enc = `${enc}`.toLowerCase();
        if (enc === 'base64') return 'base64';
        if (enc === 'latin1' || enc === 'binary') return 'latin1';
        break;
      case 7:
        if (enc === 'utf16le' || enc === 'UTF16LE' || `${enc}`.toLowerCase() === 'utf16le') return 'utf16le';
        break;
      case 8:
        if (enc === 'utf-16le' || enc === 'UTF-16LE' || `${enc}`.toLowerCase() === 'utf-16le') return 'utf16le';
        break;
      case 9:
        if (enc === 'base64url' || enc === 'BASE64URL' || `${enc}`.toLowerCase() === 'base64url') return 'base64url';
        break;
      default:
        if (enc === '') return 'utf8';
    }
    return undefined;
  }

  function normalizeEncoding(enc) {
    const nenc = normalizeEncodingName(enc);
    if (nenc === undefined) {
      const err = new TypeError(internal.format('Unknown encoding: %s', enc));
      err.code = 'ERR_UNKNOWN_ENCODING';
      throw err;
    }
    return nenc;
  }

  // A DataView's bytes as a Uint8Array: the binding reads typed arrays.
  function bytesOf(view) {
    try {
      return new Uint8ArrayCtor(Reflect.apply(dataViewBuffer, view, []),
        Reflect.apply(dataViewOffset, view, []), Reflect.apply(dataViewLength, view, []));
    } catch {
      return view; // a typed array, or a detached DataView (read as empty)
    }
  }

  // The bytes a typed array covers now (the engine's C API reports the length
  // a view of a resizable buffer had when it was made).
  function currentView(value) {
    let buffer;
    try {
      buffer = Reflect.apply(typedArrayBuffer, value, []);
      if (!Reflect.apply(bufferResizable, buffer, [])) return value;
    } catch {
      return value;
    }
    return new Uint8ArrayCtor(buffer, Reflect.apply(typedArrayOffset, value, []),
      Reflect.apply(typedArrayByteLength, value, []));
  }

  function bufferClass() {
    try {
      const buffer = internal.buffer;
      const B = buffer && buffer.Buffer;
      return typeof B === 'function' && typeof B.from === 'function' ? B : undefined;
    } catch {
      return undefined;
    }
  }

  function StringDecoder(encoding) {
    this.encoding = normalizeEncoding(encoding);
    const B = bufferClass();
    this[kNativeDecoder] = B !== undefined && typeof B.alloc === 'function'
      ? B.alloc(stringDecoderStateSize) : new Uint8ArrayCtor(stringDecoderStateSize);
    this[kNativeDecoder][kEncodingField] = encodingsMap[this.encoding];
  }

  StringDecoder.prototype.write = function write(buf) {
    if (typeof buf === 'string') return buf;
    if (!ArrayBufferIsView(buf)) {
      throw internal.errors.invalidArgType('buf', ['Buffer', 'TypedArray', 'DataView'], buf);
    }
    if (!this[kNativeDecoder]) {
      const err = new TypeError('Value of "this" must be of type StringDecoder');
      err.code = 'ERR_INVALID_THIS';
      throw err;
    }
    let result = stringDecoderWrite(this[kNativeDecoder], currentView(buf));
    if (result === undefined) result = stringDecoderWrite(this[kNativeDecoder], bytesOf(buf));
    return result === undefined ? '' : result;
  };

  StringDecoder.prototype.end = function end(buf) {
    let ret = '';
    if (buf !== undefined) ret = this.write(buf);
    if (this[kNativeDecoder][kBufferedBytes] > 0) ret += stringDecoderFlush(this[kNativeDecoder]);
    return ret;
  };

  // Undocumented legacy API, as Node has it.
  StringDecoder.prototype.text = function text(buf, offset) {
    this[kNativeDecoder][kMissingBytes] = 0;
    this[kNativeDecoder][kBufferedBytes] = 0;
    return this.write(buf.slice(offset));
  };

  Object.defineProperties(StringDecoder.prototype, {
    lastChar: {
      __proto__: null,
      configurable: true,
      enumerable: true,
      get() {
        const state = this[kNativeDecoder];
        const B = bufferClass();
        if (B !== undefined) return B.from(state.buffer, state.byteOffset, 4);
        return Reflect.apply(typedArraySubarray, state, [0, 4]);
      },
    },
    lastNeed: {
      __proto__: null,
      configurable: true,
      enumerable: true,
      get() {
        return this[kNativeDecoder][kMissingBytes];
      },
    },
    lastTotal: {
      __proto__: null,
      configurable: true,
      enumerable: true,
      get() {
        return this[kNativeDecoder][kBufferedBytes] + this[kNativeDecoder][kMissingBytes];
      },
    },
  });

  exports.StringDecoder = StringDecoder;
})
