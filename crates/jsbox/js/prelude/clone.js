// structuredClone(value, { transfer }), as Node 20 does it (V8's
// ValueSerializer followed by its ValueDeserializer), loaded the first time a
// script reads the global. What an object is comes from the engine's own
// classes (src/builtins/clone.rs), so neither a Proxy nor a forged
// Symbol.toStringTag passes for something it is not.
//
// Kept: primitives, plain objects (own enumerable string keys, getters
// called once, in order; prototype not kept), arrays (length and holes),
// Date, RegExp (lastIndex reset), Map, Set, ArrayBuffer (resizable ones
// stay resizable), typed arrays and DataView (views of one buffer share the
// cloned buffer), Boolean/Number/String/BigInt wrappers, errors (name picks
// the prototype among Node's seven; message, stack and cause), cycles and
// shared references. Anything else throws a DOMException named
// DataCloneError with V8's message.
(function (host, core) {
  'use strict';
  const { kind, detach } = core.binding('clone');
  const { codedError } = core;
  const { reflectApply, reflectConstruct, objectKeys, defineProperty, getPrototypeOf } = core.primordials;

  // Aligned with src/builtins/clone.rs.
  const PLAIN = 1;
  const ARRAY = 2;
  const ERROR = 3;
  const DATE = 4;
  const REGEXP = 5;
  const MAP = 6;
  const SET = 7;
  const ARRAY_BUFFER = 8;
  const SHARED_ARRAY_BUFFER = 9;
  const TYPED_ARRAY = 10;
  const DATA_VIEW = 11;
  const PROXY = 12;

  const getDesc = Object.getOwnPropertyDescriptor;
  const getter = (proto, name) => getDesc(proto, name).get;
  const call = (fn, self, ...args) => reflectApply(fn, self, args);

  const DOMExceptionCtor = globalThis.DOMException;
  const ObjectPrototypeToString = Object.prototype.toString;
  const hasOwnProperty = Object.prototype.hasOwnProperty;
  const FunctionPrototypeToString = Function.prototype.toString;
  const ArrayCtor = Array;
  const MapCtor = Map;
  const SetCtor = Set;
  const DateCtor = Date;
  const RegExpCtor = RegExp;
  const ArrayBufferCtor = ArrayBuffer;
  const DataViewCtor = DataView;
  const Uint8ArrayCtor = Uint8Array;
  const isArray = Array.isArray;

  const mapGet = Map.prototype.get;
  const mapSet = Map.prototype.set;
  const mapHas = Map.prototype.has;
  const mapEntries = Map.prototype.entries;
  const mapIteratorNext = getPrototypeOf(new MapCtor().entries()).next;
  const setAdd = Set.prototype.add;
  const setValues = Set.prototype.values;
  const setIteratorNext = getPrototypeOf(new SetCtor().values()).next;
  const dateGetTime = Date.prototype.getTime;
  const regExpSource = getter(RegExp.prototype, 'source');
  // V8 keeps the flags themselves, whatever `flags` or an own property says.
  const regExpFlags = [
    ['d', 'hasIndices'], ['g', 'global'], ['i', 'ignoreCase'], ['m', 'multiline'],
    ['s', 'dotAll'], ['u', 'unicode'], ['v', 'unicodeSets'], ['y', 'sticky'],
  ].filter(([, name]) => getDesc(RegExp.prototype, name) !== undefined)
    .map(([flag, name]) => [flag, getter(RegExp.prototype, name)]);
  const bufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
  const bufferDetached = getter(ArrayBuffer.prototype, 'detached');
  const bufferResizable = getter(ArrayBuffer.prototype, 'resizable');
  const bufferMaxByteLength = getter(ArrayBuffer.prototype, 'maxByteLength');
  const bufferSlice = ArrayBuffer.prototype.slice;
  const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype);
  const typedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag);
  const typedArrayBuffer = getter(TypedArrayPrototype, 'buffer');
  const typedArrayOffset = getter(TypedArrayPrototype, 'byteOffset');
  const typedArrayLength = getter(TypedArrayPrototype, 'length');
  const typedArraySet = TypedArrayPrototype.set;
  const typedArrayAt = TypedArrayPrototype.at;
  const dataViewBuffer = getter(DataView.prototype, 'buffer');
  const dataViewOffset = getter(DataView.prototype, 'byteOffset');
  const dataViewLength = getter(DataView.prototype, 'byteLength');
  const typedArrays = { __proto__: null };
  for (const name of ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
    'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
    'BigUint64Array']) {
    if (typeof globalThis[name] === 'function') typedArrays[name] = globalThis[name];
  }
  // Brand checks of the primitive wrappers: each valueOf throws for anything else.
  const wrappers = [Number, String, Boolean, BigInt].map((Ctor) => Ctor.prototype.valueOf);
  const symbolValueOf = Symbol.prototype.valueOf;
  const domExceptionName = DOMExceptionCtor && getDesc(DOMExceptionCtor.prototype, 'name');
  const errorConstructors = {
    __proto__: null, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError,
  };

  function dataCloneError(message) {
    return new DOMExceptionCtor(message, 'DataCloneError');
  }

  // A property found without running code (V8's GetDataProperty): data
  // properties up the prototype chain; accessors are passed over, as the
  // ones QuickJS-ng has where V8 11 has none (Iterator.prototype.constructor).
  function dataProperty(object, key) {
    for (let o = object; o !== null; o = getPrototypeOf(o)) {
      if (kind(o) === PROXY) return undefined;
      const desc = getDesc(o, key);
      if (desc !== undefined && 'value' in desc) return desc.value;
    }
    return undefined;
  }

  // V8's NoSideEffectsToString, as its DataCloneError messages use it.
  function describe(value) {
    if (typeof value === 'symbol') return String(value);
    if (typeof value === 'function') {
      let text;
      try {
        text = call(FunctionPrototypeToString, value);
      } catch {
        return 'function () { [native code] }';
      }
      if (/\{\s*\[native code\]\s*\}$/.test(text)) {
        const name = dataProperty(value, 'name');
        if (typeof name === 'string' && name.startsWith('bound ')) return 'function () { [native code] }';
        return text.replace(/\{\s*\[native code\]\s*\}$/, '{ [native code] }');
      }
      return text;
    }
    if (kind(value) === PROXY) {
      try {
        return isArray(value) ? '[object Array]' : '#<Object>';
      } catch {
        return '#<Object>';
      }
    }
    if (dataProperty(value, 'toString') === ObjectPrototypeToString) {
      const ctor = dataProperty(value, 'constructor');
      if (typeof ctor === 'function') {
        const name = dataProperty(ctor, 'name');
        if (typeof name === 'string' && name !== '') return `#<${name}>`;
      }
    }
    const tag = dataProperty(value, Symbol.toStringTag);
    if (typeof tag === 'string') return `[object ${tag}]`;
    return call(ObjectPrototypeToString, value);
  }

  // `${value}`, with V8's message for a Symbol.
  function toString(value) {
    if (typeof value === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
    return `${value}`;
  }

  function cannotClone(value) {
    return dataCloneError(`${describe(value)} could not be cloned.`);
  }

  function isDetached(buffer) {
    return call(bufferDetached, buffer);
  }

  // Containers being filled, innermost last: the walk is a loop, so the
  // engine's stack does not bound how deep a value may be. Past this depth,
  // Node's serializer has run out of stack long before (at about 2,000
  // nested objects), and so does jsbox, with the same RangeError.
  const MAX_DEPTH = 8192;
  // Frame types: own enumerable properties, Map entries, Set values, and an
  // error's cause.
  const PROPERTIES = 0;
  const MAP_ENTRIES = 1;
  const SET_VALUES = 2;
  const ERROR_CAUSE = 3;

  function structuredClone(value = undefined, options = undefined) {
    if (arguments.length === 0) {
      throw codedError(TypeError, 'ERR_MISSING_ARGS', 'The value argument must be specified');
    }
    let list = [];
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object' && typeof options !== 'function') {
        throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
          'The options argument must be either an object or undefined');
      }
      const transfer = options.transfer;
      if (transfer !== undefined && transfer !== null) list = readIterable(transfer);
    }
    // ArrayBuffers to transfer: their clones get the bytes and they are
    // detached, once the whole value has been read.
    const transferred = new MapCtor();
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (kind(entry) !== ARRAY_BUFFER) {
        throw codedError(TypeError, 'ERR_INVALID_TRANSFER_OBJECT', 'Found invalid object in transferList');
      }
      if (call(mapHas, transferred, entry)) throw dataCloneError('Transfer list contains duplicate ArrayBuffer');
      call(mapSet, transferred, entry, undefined);
    }

    const memo = new MapCtor();
    const frames = [];
    const descriptor = { __proto__: null, value: undefined, writable: true, enumerable: true, configurable: true };
    // An error whose cause is being cloned: V8 cannot read back a reference
    // to it from inside its own cause.
    const unfinished = {};

    function push(frame) {
      if (frames.length >= MAX_DEPTH) throw new RangeError('Maximum call stack size exceeded');
      frames[frames.length] = frame;
    }

    function createDataProperty(target, key, v) {
      descriptor.value = v;
      defineProperty(target, key, descriptor);
      descriptor.value = undefined;
    }

    // A container whose own enumerable properties are copied next.
    function withProperties(source, target) {
      call(mapSet, memo, source, target);
      push({ __proto__: null, type: PROPERTIES, source, target, keys: objectKeys(source), index: 0 });
      return target;
    }

    function cloneBuffer(buffer) {
      let out;
      if (call(mapHas, transferred, buffer)) {
        // Filled when the buffer is detached, after the whole value is read.
        out = newBufferLike(buffer);
        call(mapSet, transferred, buffer, out);
      } else {
        if (isDetached(buffer)) throw dataCloneError('An ArrayBuffer is detached and could not be cloned.');
        if (call(bufferResizable, buffer)) {
          out = newBufferLike(buffer);
          copyBytes(buffer, out);
        } else {
          out = call(bufferSlice, buffer, 0);
        }
      }
      call(mapSet, memo, buffer, out);
      return out;
    }

    function cloneView(view, k) {
      const isDataView = k === DATA_VIEW;
      const buffer = call(isDataView ? dataViewBuffer : typedArrayBuffer, view);
      if (kind(buffer) === ARRAY_BUFFER && isDetached(buffer) && !call(mapHas, transferred, buffer)) {
        throw dataCloneError('An ArrayBuffer is detached and could not be cloned.');
      }
      if (!isDataView && kind(buffer) === ARRAY_BUFFER && call(bufferResizable, buffer)) {
        // A view its resizable buffer no longer covers (V8's odd message).
        try {
          call(typedArrayAt, view, 0);
        } catch {
          throw dataCloneError('[object Object] could not be cloned.');
        }
      }
      const offset = call(isDataView ? dataViewOffset : typedArrayOffset, view);
      const length = call(isDataView ? dataViewLength : typedArrayLength, view);
      const target = clone(buffer);
      const Ctor = isDataView ? DataViewCtor : typedArrays[call(typedArrayTag, view)];
      const out = reflectConstruct(Ctor, [target, offset, length]);
      call(mapSet, memo, view, out);
      return out;
    }

    function cloneError(error) {
      const messageDesc = getDesc(error, 'message');
      const causeDesc = getDesc(error, 'cause');
      const name = toString(error.name);
      const Ctor = errorConstructors[name] || Error;
      const message = messageDesc !== undefined && 'value' in messageDesc ? toString(messageDesc.value) : undefined;
      const stack = error.stack;
      const out = reflectConstruct(Ctor, []);
      const hidden = {
        __proto__: null, value: typeof stack === 'string' ? stack : undefined,
        writable: true, enumerable: false, configurable: true,
      };
      defineProperty(out, 'stack', hidden);
      if (message !== undefined) {
        hidden.value = message;
        defineProperty(out, 'message', hidden);
      }
      if (causeDesc !== undefined && 'value' in causeDesc) {
        call(mapSet, memo, error, unfinished);
        push({ __proto__: null, type: ERROR_CAUSE, source: error, target: out, cause: causeDesc.value, read: false });
      } else {
        call(mapSet, memo, error, out);
      }
      return out;
    }

    function cloneOther(object) {
      for (let i = 0; i < wrappers.length; i++) {
        let primitive;
        try {
          primitive = call(wrappers[i], object);
        } catch {
          continue;
        }
        const out = Object(primitive);
        call(mapSet, memo, object, out);
        return out;
      }
      let isSymbol = false;
      try {
        call(symbolValueOf, object);
        isSymbol = true;
      } catch { /* not a Symbol wrapper */ }
      if (!isSymbol && domExceptionName !== undefined) {
        // Node's DOMException is an ordinary object to V8.
        let isDOMException = false;
        try {
          call(domExceptionName.get, object);
          isDOMException = true;
        } catch { /* not one */ }
        if (isDOMException) return withProperties(object, {});
      }
      throw cannotClone(object);
    }

    // The clone of `v`; a container comes back empty, with a frame on the
    // stack that fills it before anything after it is read.
    function clone(v) {
      if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
        if (typeof v === 'symbol') throw cannotClone(v);
        return v;
      }
      const seen = call(mapGet, memo, v);
      if (seen !== undefined) {
        if (seen === unfinished) throw new Error('Unable to deserialize cloned data.');
        return seen;
      }
      if (typeof v === 'function') throw cannotClone(v);
      const k = kind(v);
      switch (k) {
        case PLAIN:
          if (v === globalThis) throw cannotClone(v);
          return withProperties(v, {});
        case ARRAY:
          return withProperties(v, new ArrayCtor(v.length));
        case DATE: {
          const out = new DateCtor(call(dateGetTime, v));
          call(mapSet, memo, v, out);
          return out;
        }
        case REGEXP: {
          let flags = '';
          for (let i = 0; i < regExpFlags.length; i++) {
            if (call(regExpFlags[i][1], v)) flags += regExpFlags[i][0];
          }
          const out = new RegExpCtor(call(regExpSource, v), flags);
          call(mapSet, memo, v, out);
          return out;
        }
        case MAP: {
          const out = new MapCtor();
          call(mapSet, memo, v, out);
          const entries = [];
          const iterator = call(mapEntries, v);
          for (let step = call(mapIteratorNext, iterator); !step.done; step = call(mapIteratorNext, iterator)) {
            entries[entries.length] = step.value[0];
            entries[entries.length] = step.value[1];
          }
          push({ __proto__: null, type: MAP_ENTRIES, target: out, entries, index: 0, key: undefined });
          return out;
        }
        case SET: {
          const out = new SetCtor();
          call(mapSet, memo, v, out);
          const values = [];
          const iterator = call(setValues, v);
          for (let step = call(setIteratorNext, iterator); !step.done; step = call(setIteratorNext, iterator)) {
            values[values.length] = step.value;
          }
          push({ __proto__: null, type: SET_VALUES, target: out, values, index: 0 });
          return out;
        }
        case ARRAY_BUFFER:
          return cloneBuffer(v);
        case SHARED_ARRAY_BUFFER:
          // Shared, as Node shares its memory (with one object for both).
          call(mapSet, memo, v, v);
          return v;
        case TYPED_ARRAY:
        case DATA_VIEW:
          return cloneView(v, k);
        case ERROR:
          return cloneError(v);
        case PROXY:
          throw cannotClone(v);
        default:
          return cloneOther(v);
      }
    }

    const result = clone(value);
    // Depth first, in V8's order: each property's value (and all below it)
    // before the next property; a Map's key, then its value.
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      switch (frame.type) {
        case PROPERTIES: {
          if (frame.index === frame.keys.length) {
            frames.length--;
            break;
          }
          const key = frame.keys[frame.index++];
          const source = frame.source;
          // A property a getter deleted meanwhile is skipped.
          if (call(hasOwnProperty, source, key)) createDataProperty(frame.target, key, clone(source[key]));
          break;
        }
        case MAP_ENTRIES:
          if (frame.index === frame.entries.length) {
            frames.length--;
          } else if (frame.key === undefined) {
            frame.key = { value: clone(frame.entries[frame.index]) };
          } else {
            const key = frame.key.value;
            call(mapSet, frame.target, key, clone(frame.entries[frame.index + 1]));
            frame.key = undefined;
            frame.index += 2;
          }
          break;
        case SET_VALUES:
          if (frame.index === frame.values.length) frames.length--;
          else call(setAdd, frame.target, clone(frame.values[frame.index++]));
          break;
        default: // ERROR_CAUSE
          if (frame.read) {
            call(mapSet, memo, frame.source, frame.target);
            frames.length--;
          } else {
            frame.read = true;
            const cause = clone(frame.cause);
            defineProperty(frame.target, 'cause', {
              __proto__: null, value: cause, writable: true, enumerable: false, configurable: true,
            });
          }
      }
    }
    // Everything is read: the transferred buffers hand their bytes over.
    const buffers = [];
    const iterator = call(mapEntries, transferred);
    for (let step = call(mapIteratorNext, iterator); !step.done; step = call(mapIteratorNext, iterator)) {
      buffers[buffers.length] = step.value[0];
      buffers[buffers.length] = step.value[1];
    }
    for (let i = 0; i < buffers.length; i += 2) {
      if (buffers[i + 1] !== undefined) copyBytes(buffers[i], buffers[i + 1]);
      detach(buffers[i]);
    }
    return result;
  }

  // An ArrayBuffer of the same length and resizability, zero-filled.
  function newBufferLike(buffer) {
    const length = isDetached(buffer) ? 0 : call(bufferByteLength, buffer);
    if (call(bufferResizable, buffer)) {
      return new ArrayBufferCtor(length, { maxByteLength: call(bufferMaxByteLength, buffer) });
    }
    return new ArrayBufferCtor(length);
  }

  function copyBytes(from, to) {
    if (isDetached(from)) return;
    const length = Math.min(call(bufferByteLength, from), call(bufferByteLength, to));
    call(typedArraySet, new Uint8ArrayCtor(to, 0, length), new Uint8ArrayCtor(from, 0, length));
  }

  // Node's ReadIterable: an array by index, anything else by its iterator.
  function readIterable(object) {
    if (object === null || (typeof object !== 'object' && typeof object !== 'function')) {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'Optional transferList argument must be an iterable');
    }
    const out = [];
    if (kind(object) === ARRAY) {
      const length = object.length;
      for (let i = 0; i < length; i++) out[i] = object[i];
      return out;
    }
    // An object that is not iterable transfers nothing (as in Node 20).
    const method = object[Symbol.iterator];
    if (typeof method !== 'function') return out;
    const iterator = call(method, object);
    const next = iterator.next;
    for (;;) {
      const step = call(next, iterator);
      if (step.done) break;
      out[out.length] = step.value;
    }
    return out;
  }

  return { structuredClone };
})
