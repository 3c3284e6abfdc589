// jsbox built-in module `util`: ports of Node.js lib/util.js,
// lib/internal/util.js (promisify, deprecate), lib/internal/util/comparisons.js
// (isDeepStrictEqual) and lib/internal/util/types.js (v20). Node.js is MIT
// licensed, Copyright Joyent, Inc. and other Node contributors.
//
// Evaluated as a script whose completion value is this function; jsbox calls
// it once per runtime with a fresh module object. From `internal` it uses:
// - `format`, `formatWithOptions`, `inspect`: re-exported as-is;
//   `inspect.custom` is set to Symbol.for('nodejs.util.inspect.custom') when
//   the function does not define it already.
// - `warn(text, warning)`: called for deprecation warnings. `text` is what
//   Node prints after its "(node:PID) " prefix, e.g.
//   "[DEP0001] DeprecationWarning: msg"; `warning` is the Error object
//   (name 'DeprecationWarning', message, code).
// - `types` (optional): native brand checks (e.g. `isPromise`, `isProxy`)
//   that override the pure-JS fallbacks below of the same name.
//
// Differences from Node:
// - util.types uses JS brand checks (internal-slot accessors that throw on the
//   wrong receiver) where possible. Without a native `internal.types`:
//   `isPromise`, `isArgumentsObject`, `isGeneratorObject`, `isMapIterator`,
//   `isSetIterator` and `isModuleNamespaceObject` rely on
//   Object.prototype.toString tags; `isAsyncFunction` / `isGeneratorFunction`
//   on the function's prototype; `isNativeError` on Error.isError when the
//   engine has it, otherwise on the tag; `isProxy` is not provided;
//   `isExternal`, `isKeyObject` and `isCryptoKey` always return false.
// - `callbackify` calls the callback from a microtask (Node: process.nextTick).
// - `debuglog`/`debug` never log (there is no NODE_DEBUG). Not provided:
//   getSystemErrorName/Map, parseEnv, MIMEType/MIMEParams,
//   aborted, transferableAbort*, _errnoException, _exceptionWithHostPort.
// - TextEncoder/TextDecoder are accessors until first read (then data
//   properties, as in Node).
(function (exports, require, module, internal) {
  'use strict';

  const { format, formatWithOptions, inspect } = internal;
  const nativeTypes = (internal.types !== null && typeof internal.types === 'object') ? internal.types : {};

  if (typeof inspect === 'function' && inspect.custom === undefined) {
    try {
      Object.defineProperty(inspect, 'custom', {
        value: Symbol.for('nodejs.util.inspect.custom'),
        writable: false, enumerable: true, configurable: true,
      });
    } catch {
      // A frozen inspect keeps whatever it has.
    }
  }

  const ObjectPrototypeToString = (v) => Object.prototype.toString.call(v);
  const ObjectPrototypePropertyIsEnumerable = (o, k) => Object.prototype.propertyIsEnumerable.call(o, k);
  const ObjectPrototypeHasOwnProperty = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

  // ---- errors (port of Node's internal/errors helpers) --------------------
  const { codedError, invalidArgType, validateString, validateFunction } = internal.errors;

  const enqueue = typeof queueMicrotask === 'function'
    ? (fn) => queueMicrotask(fn)
    : (fn) => { Promise.resolve().then(fn); };

  // ---- util.types -----------------------------------------------------------
  function getter(proto, name) {
    const desc = proto && Object.getOwnPropertyDescriptor(proto, name);
    return desc && desc.get;
  }

  // True when calling `fn` with `value` as receiver does not throw: built-in
  // methods and accessors throw a TypeError for receivers lacking their slot.
  function hasSlot(fn, value, arg) {
    if (typeof fn !== 'function' || value === null ||
        (typeof value !== 'object' && typeof value !== 'function')) return false;
    try {
      fn.call(value, arg);
      return true;
    } catch {
      return false;
    }
  }

  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  const typedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag);
  const TypedArrayPrototypeGetSymbolToStringTag = (v) => typedArrayTag.call(v);
  const mapSize = getter(Map.prototype, 'size');
  const setSize = getter(Set.prototype, 'size');
  const regExpSource = getter(RegExp.prototype, 'source');
  const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
  const sharedArrayBufferByteLength = typeof SharedArrayBuffer === 'function'
    ? getter(SharedArrayBuffer.prototype, 'byteLength') : undefined;
  const dataViewByteLength = getter(DataView.prototype, 'byteLength');
  const AsyncFunctionPrototype = Object.getPrototypeOf(async function () {});
  const GeneratorFunctionPrototype = Object.getPrototypeOf(function* () {});
  const AsyncGeneratorFunctionPrototype = Object.getPrototypeOf(async function* () {});
  const weakKey = {};

  function isTag(value, tag) {
    return value !== null && typeof value === 'object' &&
      ObjectPrototypeToString(value) === `[object ${tag}]`;
  }

  function isUntaggedTag(value, tag) {
    // For objects whose tag comes from an internal slot, not Symbol.toStringTag.
    return isTag(value, tag) && !(Symbol.toStringTag in value);
  }

  const jsTypes = {
    isExternal: (value) => false,
    isDate: (value) => hasSlot(Date.prototype.getTime, value),
    isArgumentsObject: (value) => isUntaggedTag(value, 'Arguments'),
    isBigIntObject: (value) => typeof value === 'object' && hasSlot(BigInt.prototype.valueOf, value),
    isBooleanObject: (value) => typeof value === 'object' && hasSlot(Boolean.prototype.valueOf, value),
    isNumberObject: (value) => typeof value === 'object' && hasSlot(Number.prototype.valueOf, value),
    isStringObject: (value) => typeof value === 'object' && hasSlot(String.prototype.valueOf, value),
    isSymbolObject: (value) => typeof value === 'object' && hasSlot(Symbol.prototype.valueOf, value),
    isNativeError: typeof Error.isError === 'function'
      ? (value) => Error.isError(value)
      : (value) => isUntaggedTag(value, 'Error'),
    isRegExp: (value) => value !== RegExp.prototype && hasSlot(regExpSource, value),
    isAsyncFunction: (value) => typeof value === 'function' &&
      (Object.getPrototypeOf(value) === AsyncFunctionPrototype ||
       Object.getPrototypeOf(value) === AsyncGeneratorFunctionPrototype),
    isGeneratorFunction: (value) => typeof value === 'function' &&
      (Object.getPrototypeOf(value) === GeneratorFunctionPrototype ||
       Object.getPrototypeOf(value) === AsyncGeneratorFunctionPrototype),
    isGeneratorObject: (value) => isTag(value, 'Generator') || isTag(value, 'AsyncGenerator'),
    isPromise: (value) => isTag(value, 'Promise'),
    isMap: (value) => hasSlot(mapSize, value),
    isSet: (value) => hasSlot(setSize, value),
    isMapIterator: (value) => isTag(value, 'Map Iterator'),
    isSetIterator: (value) => isTag(value, 'Set Iterator'),
    isWeakMap: (value) => hasSlot(WeakMap.prototype.has, value, weakKey),
    isWeakSet: (value) => hasSlot(WeakSet.prototype.has, value, weakKey),
    isArrayBuffer: (value) => hasSlot(arrayBufferByteLength, value),
    isDataView: (value) => hasSlot(dataViewByteLength, value),
    isSharedArrayBuffer: (value) => hasSlot(sharedArrayBufferByteLength, value),
    isModuleNamespaceObject: (value) => isTag(value, 'Module') && Object.getPrototypeOf(value) === null,
    isAnyArrayBuffer: (value) => hasSlot(arrayBufferByteLength, value) ||
      hasSlot(sharedArrayBufferByteLength, value),
    isBoxedPrimitive: (value) => types.isNumberObject(value) || types.isStringObject(value) ||
      types.isBooleanObject(value) || types.isBigIntObject(value) || types.isSymbolObject(value),
    isArrayBufferView: (value) => ArrayBuffer.isView(value),
    isTypedArray: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) !== undefined,
    isUint8Array: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === 'Uint8Array',
    isUint8ClampedArray: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === 'Uint8ClampedArray',
    isUint16Array: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === 'Uint16Array',
    isUint32Array: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === 'Uint32Array',
    isInt8Array: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === 'Int8Array',
    isInt16Array: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === 'Int16Array',
    isInt32Array: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === 'Int32Array',
    isFloat32Array: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === 'Float32Array',
    isFloat64Array: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === 'Float64Array',
    isBigInt64Array: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === 'BigInt64Array',
    isBigUint64Array: (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === 'BigUint64Array',
    isKeyObject: (value) => false,
    isCryptoKey: (value) => false,
  };

  const types = {};
  for (const name of Object.keys(jsTypes)) {
    const native = nativeTypes[name];
    types[name] = typeof native === 'function' ? native : jsTypes[name];
  }
  // There is no way to detect a Proxy from JS: only a native check is exposed.
  if (typeof nativeTypes.isProxy === 'function') types.isProxy = nativeTypes.isProxy;

  const {
    isAnyArrayBuffer,
    isArrayBufferView,
    isDate,
    isMap,
    isRegExp,
    isSet,
    isNativeError,
    isBoxedPrimitive,
    isNumberObject,
    isStringObject,
    isBooleanObject,
    isBigIntObject,
    isSymbolObject,
    isFloat32Array,
    isFloat64Array,
  } = types;

  // ---- isDeepStrictEqual (port of internal/util/comparisons) ---------------
  const kStrict = true;
  const kLoose = false;

  const kNoIterator = 0;
  const kIsArray = 1;
  const kIsSet = 2;
  const kIsMap = 3;

  function isURL(self) {
    return Boolean(self?.href && self.protocol && self.auth === undefined && self.path === undefined);
  }

  function isArrayIndex(key) {
    if (typeof key !== 'string') return false;
    if (key === '0') return true;
    if (!/^[1-9][0-9]*$/.test(key)) return false;
    return Number(key) < 4294967295;
  }

  // Port of the V8 binding getOwnNonIndexProperties(value, ONLY_ENUMERABLE
  // [| SKIP_SYMBOLS]).
  function getOwnNonIndexProperties(value, skipSymbols) {
    const keys = Reflect.ownKeys(value);
    const out = [];
    for (const key of keys) {
      if (typeof key === 'symbol') {
        if (skipSymbols) continue;
      } else if (isArrayIndex(key)) {
        continue;
      }
      if (ObjectPrototypePropertyIsEnumerable(value, key)) out.push(key);
    }
    return out;
  }

  function compareBytes(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) return false;
    }
    return true;
  }

  // Check if they have the same source and flags
  function areSimilarRegExps(a, b) {
    return a.source === b.source &&
           a.flags === b.flags &&
           a.lastIndex === b.lastIndex;
  }

  function areSimilarFloatArrays(a, b) {
    if (a.byteLength !== b.byteLength) {
      return false;
    }
    const len = a.byteLength;
    for (let offset = 0; offset < len; offset++) {
      if (a[offset] !== b[offset]) {
        return false;
      }
    }
    return true;
  }

  function areSimilarTypedArrays(a, b) {
    if (a.byteLength !== b.byteLength) {
      return false;
    }
    return compareBytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
                        new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }

  function areEqualArrayBuffers(buf1, buf2) {
    return buf1.byteLength === buf2.byteLength &&
      compareBytes(new Uint8Array(buf1), new Uint8Array(buf2));
  }

  function isEqualBoxedPrimitive(val1, val2) {
    if (isNumberObject(val1)) {
      return isNumberObject(val2) &&
             Object.is(Number.prototype.valueOf.call(val1),
                       Number.prototype.valueOf.call(val2));
    }
    if (isStringObject(val1)) {
      return isStringObject(val2) &&
             String.prototype.valueOf.call(val1) === String.prototype.valueOf.call(val2);
    }
    if (isBooleanObject(val1)) {
      return isBooleanObject(val2) &&
             Boolean.prototype.valueOf.call(val1) === Boolean.prototype.valueOf.call(val2);
    }
    if (isBigIntObject(val1)) {
      return isBigIntObject(val2) &&
             BigInt.prototype.valueOf.call(val1) === BigInt.prototype.valueOf.call(val2);
    }
    if (isSymbolObject(val1)) {
      return isSymbolObject(val2) &&
             Symbol.prototype.valueOf.call(val1) === Symbol.prototype.valueOf.call(val2);
    }
    throw new Error(`Unknown boxed type ${val1}`);
  }

  // For strict comparison, objects should have
  // a) The same built-in type tag.
  // b) The same prototypes.
  function innerDeepEqual(val1, val2, strict, memos) {
    // All identical values are equivalent, as determined by ===.
    if (val1 === val2) {
      return val1 !== 0 || Object.is(val1, val2) || !strict;
    }

    // Check more closely if val1 and val2 are equal.
    if (strict) {
      if (typeof val1 === 'number') {
        return Number.isNaN(val1) && Number.isNaN(val2);
      }
      if (typeof val2 !== 'object' ||
          typeof val1 !== 'object' ||
          val1 === null ||
          val2 === null ||
          Object.getPrototypeOf(val1) !== Object.getPrototypeOf(val2)) {
        return false;
      }
    } else {
      if (val1 === null || typeof val1 !== 'object') {
        if (val2 === null || typeof val2 !== 'object') {
          // eslint-disable-next-line eqeqeq
          return val1 == val2 || (Number.isNaN(val1) && Number.isNaN(val2));
        }
        return false;
      }
      if (val2 === null || typeof val2 !== 'object') {
        return false;
      }
    }
    const val1Tag = ObjectPrototypeToString(val1);
    const val2Tag = ObjectPrototypeToString(val2);

    if (val1Tag !== val2Tag) {
      return false;
    }

    if (Array.isArray(val1)) {
      // Check for sparse arrays and general fast path
      if (!Array.isArray(val2) || val1.length !== val2.length) {
        return false;
      }
      const keys1 = getOwnNonIndexProperties(val1, !strict);
      const keys2 = getOwnNonIndexProperties(val2, !strict);
      if (keys1.length !== keys2.length) {
        return false;
      }
      return keyCheck(val1, val2, strict, memos, kIsArray, keys1);
    } else if (val1Tag === '[object Object]') {
      return keyCheck(val1, val2, strict, memos, kNoIterator);
    } else if (isDate(val1)) {
      if (!isDate(val2) ||
          Date.prototype.getTime.call(val1) !== Date.prototype.getTime.call(val2)) {
        return false;
      }
    } else if (isRegExp(val1)) {
      if (!isRegExp(val2) || !areSimilarRegExps(val1, val2)) {
        return false;
      }
    } else if (isArrayBufferView(val1)) {
      if (TypedArrayPrototypeGetSymbolToStringTag(val1) !==
          TypedArrayPrototypeGetSymbolToStringTag(val2)) {
        return false;
      }
      if (!strict && (isFloat32Array(val1) || isFloat64Array(val1))) {
        if (!areSimilarFloatArrays(val1, val2)) {
          return false;
        }
      } else if (!areSimilarTypedArrays(val1, val2)) {
        return false;
      }
      // The byte comparison passed, so val1.length === val2.length. If they
      // both only contain numeric keys, we don't need to exam further than
      // checking the symbols.
      const keys1 = getOwnNonIndexProperties(val1, !strict);
      const keys2 = getOwnNonIndexProperties(val2, !strict);
      if (keys1.length !== keys2.length) {
        return false;
      }
      return keyCheck(val1, val2, strict, memos, kNoIterator, keys1);
    } else if (isSet(val1)) {
      if (!isSet(val2) || val1.size !== val2.size) {
        return false;
      }
      return keyCheck(val1, val2, strict, memos, kIsSet);
    } else if (isMap(val1)) {
      if (!isMap(val2) || val1.size !== val2.size) {
        return false;
      }
      return keyCheck(val1, val2, strict, memos, kIsMap);
    } else if (isAnyArrayBuffer(val1)) {
      if (!isAnyArrayBuffer(val2) || !areEqualArrayBuffers(val1, val2)) {
        return false;
      }
    } else if (isNativeError(val1) || val1 instanceof Error) {
      // Do not compare the stack as it might differ even though the error itself
      // is otherwise identical.
      if (!isNativeError(val2) && !(val2 instanceof Error)) {
        return false;
      }

      const message1Enumerable = ObjectPrototypePropertyIsEnumerable(val1, 'message');
      const name1Enumerable = ObjectPrototypePropertyIsEnumerable(val1, 'name');
      const cause1Enumerable = ObjectPrototypePropertyIsEnumerable(val1, 'cause');
      const errors1Enumerable = ObjectPrototypePropertyIsEnumerable(val1, 'errors');

      if ((message1Enumerable !== ObjectPrototypePropertyIsEnumerable(val2, 'message') ||
            (!message1Enumerable && val1.message !== val2.message)) ||
          (name1Enumerable !== ObjectPrototypePropertyIsEnumerable(val2, 'name') ||
            (!name1Enumerable && val1.name !== val2.name)) ||
          (cause1Enumerable !== ObjectPrototypePropertyIsEnumerable(val2, 'cause') ||
            (!cause1Enumerable && !innerDeepEqual(val1.cause, val2.cause, strict, memos))) ||
          (errors1Enumerable !== ObjectPrototypePropertyIsEnumerable(val2, 'errors') ||
           (!errors1Enumerable && !innerDeepEqual(val1.errors, val2.errors, strict, memos)))) {
        return false;
      }
    } else if (isBoxedPrimitive(val1)) {
      if (!isEqualBoxedPrimitive(val1, val2)) {
        return false;
      }
    } else if (Array.isArray(val2) ||
               isArrayBufferView(val2) ||
               isSet(val2) ||
               isMap(val2) ||
               isDate(val2) ||
               isRegExp(val2) ||
               isAnyArrayBuffer(val2) ||
               isBoxedPrimitive(val2) ||
               isNativeError(val2) ||
               val2 instanceof Error) {
      return false;
    } else if (isURL(val1)) {
      if (!isURL(val2) || val1.href !== val2.href) {
        return false;
      }
    }
    return keyCheck(val1, val2, strict, memos, kNoIterator);
  }

  function getEnumerables(val, keys) {
    return keys.filter((k) => ObjectPrototypePropertyIsEnumerable(val, k));
  }

  function keyCheck(val1, val2, strict, memos, iterationType, aKeys) {
    // For all remaining Object pairs, including Array, objects and Maps,
    // equivalence is determined by having:
    // a) The same number of owned enumerable properties
    // b) The same set of keys/indexes (although not necessarily the same order)
    // c) Equivalent values for every corresponding key/index
    // d) For Sets and Maps, equal contents
    // Note: this accounts for both named and indexed properties on Arrays.
    const isArrayLikeObject = aKeys !== undefined;

    if (aKeys === undefined) {
      aKeys = Object.keys(val1);
    }

    // Cheap key test
    if (aKeys.length > 0) {
      for (const key of aKeys) {
        if (!ObjectPrototypePropertyIsEnumerable(val2, key)) {
          return false;
        }
      }
    }

    if (!isArrayLikeObject) {
      // The pair must have the same number of owned properties.
      if (aKeys.length !== Object.keys(val2).length) {
        return false;
      }

      if (strict) {
        const symbolKeysA = Object.getOwnPropertySymbols(val1);
        if (symbolKeysA.length !== 0) {
          let count = 0;
          for (const key of symbolKeysA) {
            if (ObjectPrototypePropertyIsEnumerable(val1, key)) {
              if (!ObjectPrototypePropertyIsEnumerable(val2, key)) {
                return false;
              }
              aKeys.push(key);
              count++;
            } else if (ObjectPrototypePropertyIsEnumerable(val2, key)) {
              return false;
            }
          }
          const symbolKeysB = Object.getOwnPropertySymbols(val2);
          if (symbolKeysA.length !== symbolKeysB.length &&
              getEnumerables(val2, symbolKeysB).length !== count) {
            return false;
          }
        } else {
          const symbolKeysB = Object.getOwnPropertySymbols(val2);
          if (symbolKeysB.length !== 0 &&
              getEnumerables(val2, symbolKeysB).length !== 0) {
            return false;
          }
        }
      }
    }

    if (aKeys.length === 0 &&
        (iterationType === kNoIterator ||
          (iterationType === kIsArray && val1.length === 0) ||
          val1.size === 0)) {
      return true;
    }

    // Use memos to handle cycles.
    if (memos === undefined) {
      memos = {
        set: undefined,
        a: val1,
        b: val2,
        c: undefined,
        d: undefined,
        deep: false,
        deleteFailures: false,
      };
      return objEquiv(val1, val2, strict, aKeys, memos, iterationType);
    }

    if (memos.set === undefined) {
      if (memos.deep === false) {
        if (memos.a === val1) {
          if (memos.b === val2) return true;
        }
        memos.c = val1;
        memos.d = val2;
        memos.deep = true;
        const result = objEquiv(val1, val2, strict, aKeys, memos, iterationType);
        memos.deep = false;
        return result;
      }
      memos.set = new Set();
      memos.set.add(memos.a);
      memos.set.add(memos.b);
      memos.set.add(memos.c);
      memos.set.add(memos.d);
    }

    const { set } = memos;

    const originalSize = set.size;
    set.add(val1);
    set.add(val2);
    if (originalSize === set.size) {
      return true;
    }

    const areEq = objEquiv(val1, val2, strict, aKeys, memos, iterationType);

    if (areEq || memos.deleteFailures) {
      set.delete(val1);
      set.delete(val2);
    }

    return areEq;
  }

  function setHasEqualElement(set, val2, strict, memo) {
    const { deleteFailures } = memo;
    memo.deleteFailures = true;
    for (const val1 of set) {
      if (innerDeepEqual(val1, val2, strict, memo)) {
        // Remove the matching element to make sure we do not check that again.
        set.delete(val1);
        memo.deleteFailures = deleteFailures;
        return true;
      }
    }

    memo.deleteFailures = deleteFailures;
    return false;
  }

  // Sadly it is not possible to detect corresponding values properly in case the
  // type is a string, number, bigint or boolean. The reason is that those values
  // can match lots of different string values (e.g., 1n == '+00001').
  function findLooseMatchingPrimitives(prim) {
    switch (typeof prim) {
      case 'undefined':
        return null;
      case 'object': // Only pass in null as object!
        return undefined;
      case 'symbol':
        return false;
      case 'string':
        prim = +prim;
        // Loose equal entries exist only if the string is possible to convert to
        // a regular number and not NaN.
        // Fall through
      case 'number':
        if (Number.isNaN(prim)) {
          return false;
        }
    }
    return true;
  }

  function setMightHaveLoosePrim(a, b, prim) {
    const altValue = findLooseMatchingPrimitives(prim);
    if (altValue != null)
      return altValue;

    return b.has(altValue) && !a.has(altValue);
  }

  function mapMightHaveLoosePrim(a, b, prim, item, memo) {
    const altValue = findLooseMatchingPrimitives(prim);
    if (altValue != null) {
      return altValue;
    }
    const curB = b.get(altValue);
    if ((curB === undefined && !b.has(altValue)) ||
        !innerDeepEqual(item, curB, false, memo)) {
      return false;
    }
    return !a.has(altValue) && innerDeepEqual(item, curB, false, memo);
  }

  function setEquiv(a, b, strict, memo) {
    // This is a lazily initiated Set of entries which have to be compared
    // pairwise.
    let set = null;
    for (const val of a) {
      if (!b.has(val)) {
        if ((typeof val !== 'object' || val === null) &&
            (strict || !setMightHaveLoosePrim(a, b, val))) {
          return false;
        }

        if (set === null) {
          if (b.size === 1) {
            return innerDeepEqual(val, b.values().next().value, strict, memo);
          }
          set = new Set();
        }
        // If the specified value doesn't exist in the second set it's a object
        // (or in loose mode: a non-matching primitive). Find the
        // deep-(strict-)equal element in a set copy to reduce duplicate checks.
        set.add(val);
      }
    }

    if (set !== null) {
      for (const val of b) {
        // Primitive values have already been handled above.
        if (typeof val === 'object' && val !== null) {
          if (!a.has(val) && !setHasEqualElement(set, val, strict, memo)) {
            return false;
          }
        } else if (!strict &&
                   !a.has(val) &&
                   !setHasEqualElement(set, val, strict, memo)) {
          return false;
        }
      }
      return set.size === 0;
    }

    return true;
  }

  function mapHasEqualEntry(set, map, key2, item2, strict, memo) {
    // To be able to handle cases like:
    //   Map([[{}, 'a'], [{}, 'b']]) vs Map([[{}, 'b'], [{}, 'a']])
    // ... we need to consider *all* matching keys, not just the first we find.
    const { deleteFailures } = memo;
    memo.deleteFailures = true;
    for (const key1 of set) {
      if (innerDeepEqual(key1, key2, strict, memo) &&
        innerDeepEqual(map.get(key1), item2, strict, memo)) {
        set.delete(key1);
        memo.deleteFailures = deleteFailures;
        return true;
      }
    }

    memo.deleteFailures = deleteFailures;
    return false;
  }

  function mapEquiv(a, b, strict, memo) {
    let set = null;

    for (const { 0: key, 1: item1 } of a) {
      if (typeof key === 'object' && key !== null) {
        if (set === null) {
          if (b.size === 1) {
            const { 0: key2, 1: item2 } = b.entries().next().value;
            return innerDeepEqual(key, key2, strict, memo) &&
                   innerDeepEqual(item1, item2, strict, memo);
          }
          set = new Set();
        }
        set.add(key);
      } else {
        // By directly retrieving the value we prevent another b.has(key) check in
        // almost all possible cases.
        const item2 = b.get(key);
        if (((item2 === undefined && !b.has(key)) ||
            !innerDeepEqual(item1, item2, strict, memo))) {
          if (strict)
            return false;
          // Fast path to detect missing string, symbol, undefined and null
          // keys.
          if (!mapMightHaveLoosePrim(a, b, key, item1, memo))
            return false;
          if (set === null) {
            set = new Set();
          }
          set.add(key);
        }
      }
    }

    if (set !== null) {
      for (const { 0: key, 1: item } of b) {
        if (typeof key === 'object' && key !== null) {
          if (!mapHasEqualEntry(set, a, key, item, strict, memo))
            return false;
        } else if (!strict &&
                   (!a.has(key) ||
                     !innerDeepEqual(a.get(key), item, strict, memo)) &&
                   !mapHasEqualEntry(set, a, key, item, strict, memo)) {
          return false;
        }
      }
      return set.size === 0;
    }

    return true;
  }

  function objEquiv(a, b, strict, keys, memos, iterationType) {
    // The pair must have equivalent values for every corresponding key.
    if (keys.length > 0) {
      for (const key of keys) {
        if (!innerDeepEqual(a[key], b[key], strict, memos)) {
          return false;
        }
      }
    }

    if (iterationType === kIsArray) {
      for (let i = 0; i < a.length; i++) {
        if (ObjectPrototypeHasOwnProperty(a, i)) {
          if (!ObjectPrototypeHasOwnProperty(b, i) ||
              !innerDeepEqual(a[i], b[i], strict, memos)) {
            return false;
          }
        } else if (ObjectPrototypeHasOwnProperty(b, i)) {
          return false;
        } else {
          // Array is sparse.
          const keysA = Object.keys(a);
          for (; i < keysA.length; i++) {
            const key = keysA[i];
            if (!ObjectPrototypeHasOwnProperty(b, key) ||
                !innerDeepEqual(a[key], b[key], strict, memos)) {
              return false;
            }
          }
          return keysA.length === Object.keys(b).length;
        }
      }
    } else if (iterationType === kIsSet) {
      if (!setEquiv(a, b, strict, memos)) {
        return false;
      }
    } else if (iterationType === kIsMap) {
      if (!mapEquiv(a, b, strict, memos)) {
        return false;
      }
    }

    return true;
  }

  function isDeepStrictEqual(val1, val2) {
    return innerDeepEqual(val1, val2, kStrict);
  }

  // Loose variant, kept for parity with Node's comparisons module (not exported
  // by `util`).
  // eslint-disable-next-line no-unused-vars
  function isDeepEqual(val1, val2) {
    return innerDeepEqual(val1, val2, kLoose);
  }

  // ---- warnings / deprecate -------------------------------------------------
  const codesWarned = new Set();

  function emitWarning(message, type, code) {
    const warning = new Error(message);
    warning.name = type;
    if (code !== undefined) warning.code = code;
    const text = `${code !== undefined ? `[${code}] ` : ''}${type}: ${message}`;
    if (typeof internal.warn === 'function') internal.warn(text, warning);
  }

  // Mark that a method should not be used.
  // Returns a modified function which warns once by default.
  function deprecate(fn, msg, code) {
    if (code !== undefined)
      validateString(code, 'code');

    let warned = false;
    function emitDeprecationWarning() {
      if (!warned) {
        warned = true;
        if (code !== undefined) {
          if (!codesWarned.has(code)) {
            emitWarning(msg, 'DeprecationWarning', code);
            codesWarned.add(code);
          }
        } else {
          emitWarning(msg, 'DeprecationWarning');
        }
      }
    }

    function deprecated(...args) {
      emitDeprecationWarning();
      if (new.target) {
        return Reflect.construct(fn, args, new.target);
      }
      return Reflect.apply(fn, this, args);
    }

    // The wrapper will keep the same prototype as fn to maintain prototype chain
    Object.setPrototypeOf(deprecated, fn);
    if (fn.prototype) {
      // Setting this (rather than using Object.setPrototype, as above) ensures
      // that calling the unwrapped constructor gives an instanceof the wrapped
      // constructor.
      deprecated.prototype = fn.prototype;
    }

    return deprecated;
  }

  // ---- promisify / callbackify ----------------------------------------------
  const kCustomPromisifiedSymbol = Symbol.for('nodejs.util.promisify.custom');

  function copyDescriptors(target, source, edit) {
    const descriptors = Object.getOwnPropertyDescriptors(source);
    if (edit) edit(descriptors);
    for (const key of Reflect.ownKeys(descriptors)) {
      Object.setPrototypeOf(descriptors[key], null);
    }
    return Object.defineProperties(target, descriptors);
  }

  function promisify(original) {
    validateFunction(original, 'original');

    if (original[kCustomPromisifiedSymbol]) {
      const fn = original[kCustomPromisifiedSymbol];

      validateFunction(fn, 'util.promisify.custom');

      return Object.defineProperty(fn, kCustomPromisifiedSymbol, {
        value: fn, enumerable: false, writable: false, configurable: true,
      });
    }

    function fn(...args) {
      return new Promise((resolve, reject) => {
        args.push((err, ...values) => {
          if (err) {
            return reject(err);
          }
          resolve(values[0]);
        });
        Reflect.apply(original, this, args);
      });
    }

    Object.setPrototypeOf(fn, Object.getPrototypeOf(original));

    Object.defineProperty(fn, kCustomPromisifiedSymbol, {
      value: fn, enumerable: false, writable: false, configurable: true,
    });

    return copyDescriptors(fn, original);
  }

  promisify.custom = kCustomPromisifiedSymbol;

  function falsyValueRejection(reason) {
    const err = codedError(Error, 'ERR_FALSY_VALUE_REJECTION', 'Promise was rejected with falsy value');
    err.reason = reason;
    return err;
  }

  function callbackifyOnRejected(reason, cb) {
    // `!reason` guard inspired by bluebird (Ref: https://goo.gl/t5IS6M).
    // Because `null` is a special error value in callbacks which means "no error
    // occurred", we error-wrap so the callback consumer can distinguish between
    // "the promise rejected with null" or "the promise fulfilled with undefined".
    if (!reason) {
      reason = falsyValueRejection(reason);
    }
    return cb(reason);
  }

  function callbackify(original) {
    validateFunction(original, 'original');

    // We DO NOT return the promise as it gives the user a false sense that
    // the promise is actually somehow related to the callback's execution
    // and that the callback throwing will reject the promise.
    function callbackified(...args) {
      const maybeCb = args.pop();
      validateFunction(maybeCb, 'last argument');
      const cb = maybeCb.bind(this);
      // In true node style we process the callback on `nextTick` with all the
      // implications (stack, `uncaughtException`, `async_hooks`)
      Reflect.apply(original, this, args)
        .then((ret) => enqueue(() => cb(null, ret)),
              (rej) => enqueue(() => callbackifyOnRejected(rej, cb)));
    }

    copyDescriptors(callbackified, original, (descriptors) => {
      if (typeof descriptors.length.value === 'number') {
        descriptors.length.value++;
      }
      if (typeof descriptors.name.value === 'string') {
        descriptors.name.value += 'Callbackified';
      }
    });
    return callbackified;
  }

  // ---- misc -------------------------------------------------------------------
  function inherits(ctor, superCtor) {
    if (ctor === undefined || ctor === null)
      throw invalidArgType('ctor', 'Function', ctor);

    if (superCtor === undefined || superCtor === null)
      throw invalidArgType('superCtor', 'Function', superCtor);

    if (superCtor.prototype === undefined) {
      throw invalidArgType('superCtor.prototype', 'Object', superCtor.prototype);
    }
    Object.defineProperty(ctor, 'super_', {
      value: superCtor,
      writable: true,
      configurable: true,
    });
    Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
  }

  function _extend(target, source) {
    // Don't do anything if source isn't an object
    if (source === null || typeof source !== 'object') return target;

    const keys = Object.keys(source);
    let i = keys.length;
    while (i--) {
      target[keys[i]] = source[keys[i]];
    }
    return target;
  }

  // Regex used for ansi escape code splitting
  // Ref: https://github.com/chalk/ansi-regex/blob/f338e1814144efb950276aac84135ff86b72dc8e/index.js
  // License: MIT by Sindre Sorhus <sindresorhus@gmail.com>
  // Matches all ansi escape code sequences in a string
  const ansi = new RegExp(
    '[\\u001B\\u009B][[\\]()#;?]*' +
    '(?:(?:(?:(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]+)*' +
    '|[a-zA-Z\\d]+(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]*)*)?' +
    '(?:\\u0007|\\u001B\\u005C|\\u009C))' +
    '|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?' +
    '[\\dA-PR-TZcf-nq-uy=><~]))', 'g',
  );

  function stripVTControlCharacters(str) {
    validateString(str, 'str');
    return str.replace(ansi, '');
  }

  function toWellFormed(str) {
    if (typeof String.prototype.toWellFormed === 'function') {
      return String.prototype.toWellFormed.call(str);
    }
    let out = '';
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = i + 1 < str.length ? str.charCodeAt(i + 1) : 0;
        if (d >= 0xdc00 && d <= 0xdfff) {
          out += str[i] + str[i + 1];
          i++;
        } else {
          out += '\ufffd';
        }
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        out += '\ufffd';
      } else {
        out += str[i];
      }
    }
    return out;
  }

  function isBoolean(arg) {
    return typeof arg === 'boolean';
  }

  function isNull(arg) {
    return arg === null;
  }

  function isNullOrUndefined(arg) {
    return arg === null || arg === undefined;
  }

  function isNumber(arg) {
    return typeof arg === 'number';
  }

  function isString(arg) {
    return typeof arg === 'string';
  }

  function isSymbol(arg) {
    return typeof arg === 'symbol';
  }

  function isUndefined(arg) {
    return arg === undefined;
  }

  function isObject(arg) {
    return arg !== null && typeof arg === 'object';
  }

  function isError(e) {
    return ObjectPrototypeToString(e) === '[object Error]' || e instanceof Error;
  }

  function isFunction(arg) {
    return typeof arg === 'function';
  }

  function isPrimitive(arg) {
    return arg === null ||
           (typeof arg !== 'object' && typeof arg !== 'function');
  }

  // Buffer.isBuffer, as Node's util re-exports it (loads Buffer on first use).
  function isBuffer(arg) {
    return internal.buffer.Buffer.isBuffer(arg);
  }

  function pad(n) {
    return n.toString().padStart(2, '0');
  }

  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep',
                  'Oct', 'Nov', 'Dec'];

  // 26 Feb 16:19:34
  function timestamp() {
    const d = new Date();
    const t = [pad(d.getHours()), pad(d.getMinutes()), pad(d.getSeconds())].join(':');
    return `${d.getDate()} ${months[d.getMonth()]} ${t}`;
  }

  // Log is just a thin wrapper to console.log that prepends a timestamp
  function log(...args) {
    globalThis.console.log('%s - %s', timestamp(), format(...args));
  }

  // jsbox has no NODE_DEBUG: debug loggers are always disabled.
  function debuglog(set, cb) {
    function debug() {}
    Object.defineProperty(debug, 'enabled', {
      get() { return false; },
      configurable: true,
      enumerable: true,
    });
    return debug;
  }

  // ---- parseArgs / styleText (jsbox's own, following Node 20's docs) ---------
  function argError(code, message) {
    return codedError(TypeError, code, message);
  }
  function validateOptionConfig(name, config) {
    const where = `options.${name}`;
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      throw invalidArgType(where, 'Object', config);
    }
    const { type, short, multiple, default: fallback } = config;
    if (type !== 'string' && type !== 'boolean') {
      throw argError('ERR_INVALID_ARG_TYPE',
        `The "${where}.type" property must be ('string|boolean'). Received ${internal.describe(type).slice('Received '.length)}`);
    }
    if (short !== undefined) {
      validateString(short, `${where}.short`);
      if (short.length !== 1) {
        throw argError('ERR_INVALID_ARG_VALUE',
          `The property '${where}.short' must be a single character. Received ${inspect(short)}`);
      }
    }
    if (multiple !== undefined && typeof multiple !== 'boolean') {
      throw invalidArgType(`${where}.multiple`, 'boolean', multiple);
    }
    if (fallback !== undefined) {
      if (multiple) {
        if (!Array.isArray(fallback)) throw invalidArgType(`${where}.default`, 'Array', fallback);
        for (let i = 0; i < fallback.length; i++) {
          if (typeof fallback[i] !== type) throw invalidArgType(`${where}.default[${i}]`, type, fallback[i]);
        }
      } else if (typeof fallback !== type) {
        throw invalidArgType(`${where}.default`, type, fallback);
      }
    }
  }

  // Splits args into Node's tokens: options (with value and inlineValue when
  // a string option or an inline `=`), positionals and the `--` terminator.
  function tokenize(args, options) {
    const own = (name) => ObjectPrototypeHasOwnProperty(options, name) ? options[name] : undefined;
    const longForShort = (short) => {
      for (const name of Object.keys(options)) {
        if (options[name].short === short) return name;
      }
      return short;
    };
    const isString = (name) => own(name) !== undefined && own(name).type === 'string';
    const tokens = [];
    for (let index = 0; index < args.length; index++) {
      const arg = args[index];
      // Node reads any other value as a positional.
      if (typeof arg !== 'string') {
        tokens.push({ kind: 'positional', index, value: arg });
        continue;
      }
      if (arg === '--') {
        tokens.push({ kind: 'option-terminator', index });
        for (let i = index + 1; i < args.length; i++) tokens.push({ kind: 'positional', index: i, value: args[i] });
        break;
      }
      if (arg.length > 1 && arg[0] === '-' && arg[1] !== '-') {
        // -f, -fVALUE (string option), -abc (group)
        const name = longForShort(arg[1]);
        if (arg.length === 2) {
          let value;
          let inlineValue;
          if (isString(name) && index + 1 < args.length) {
            value = args[++index];
            inlineValue = false;
          }
          tokens.push({ kind: 'option', name, rawName: arg, index: inlineValue === false ? index - 1 : index, value, inlineValue });
          continue;
        }
        if (isString(name)) {
          tokens.push({ kind: 'option', name, rawName: `-${arg[1]}`, index, value: arg.slice(2), inlineValue: true });
          continue;
        }
        for (let i = 1; i < arg.length; i++) {
          const short = arg[i];
          const long = longForShort(short);
          if (isString(long) && i < arg.length - 1) {
            tokens.push({ kind: 'option', name: long, rawName: `-${short}`, index, value: arg.slice(i + 1), inlineValue: true });
            break;
          }
          let value;
          let inlineValue;
          if (isString(long) && i === arg.length - 1 && index + 1 < args.length) {
            value = args[index + 1];
            inlineValue = false;
          }
          tokens.push({ kind: 'option', name: long, rawName: `-${short}`, index, value, inlineValue });
          if (inlineValue === false) index++;
        }
        continue;
      }
      if (arg.startsWith('--') && arg.length > 2) {
        const eq = arg.indexOf('=');
        if (eq !== -1) {
          tokens.push({ kind: 'option', name: arg.slice(2, eq), rawName: arg.slice(0, eq), index, value: arg.slice(eq + 1), inlineValue: true });
          continue;
        }
        const name = arg.slice(2);
        let value;
        let inlineValue;
        if (isString(name) && index + 1 < args.length) {
          value = args[++index];
          inlineValue = false;
        }
        tokens.push({ kind: 'option', name, rawName: arg, index: inlineValue === false ? index - 1 : index, value, inlineValue });
        continue;
      }
      tokens.push({ kind: 'positional', index, value: arg });
    }
    return tokens;
  }

  function parseArgs(config = {}) {
    if (config === null || typeof config !== 'object') config = {};
    const args = config.args !== undefined ? config.args : internal.process.argv.slice(2);
    const strict = config.strict !== undefined ? config.strict : true;
    const allowPositionals = config.allowPositionals !== undefined ? config.allowPositionals : !strict;
    const returnTokens = config.tokens !== undefined ? config.tokens : false;
    const allowNegative = config.allowNegative !== undefined ? config.allowNegative : false;
    const options = config.options !== undefined ? config.options : {};
    if (!Array.isArray(args)) throw invalidArgType('args', 'Array', args);
    for (const [value, name] of [[strict, 'strict'], [allowPositionals, 'allowPositionals'], [returnTokens, 'tokens'], [allowNegative, 'allowNegative']]) {
      if (typeof value !== 'boolean') throw invalidArgType(name, 'boolean', value);
    }
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw argError('ERR_INVALID_ARG_TYPE', `The "options" argument must be of type object. ${internal.describe(options)}`);
    }
    for (const name of Object.keys(options)) validateOptionConfig(name, options[name]);

    const own = (name) => ObjectPrototypeHasOwnProperty(options, name) ? options[name] : undefined;
    const tokens = tokenize(args, options);
    const values = Object.create(null);
    const positionals = [];
    const store = (name, value) => {
      if (name === '__proto__') return;
      const conf = own(name);
      if (conf !== undefined && conf.multiple) {
        if (values[name] === undefined) values[name] = [];
        values[name].push(value);
      } else {
        values[name] = value;
      }
    };
    for (const token of tokens) {
      if (token.kind === 'positional') {
        if (!allowPositionals) {
          throw argError('ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
            `Unexpected argument '${token.value}'. This command does not take positional arguments`);
        }
        positionals.push(token.value);
        continue;
      }
      if (token.kind !== 'option') continue;
      let name = token.name;
      let negated = false;
      if (allowNegative && name.startsWith('no-') && token.rawName.startsWith('--')) {
        const base = name.slice(3);
        const conf = own(base);
        if (conf !== undefined && conf.type === 'boolean' && token.value === undefined) {
          negated = true;
          name = base;
          token.name = base;
        }
      }
      const conf = own(name);
      if (strict) {
        const shortName = conf !== undefined && conf.short !== undefined ? `-${conf.short}, ` : '';
        if (conf === undefined) {
          const hint = allowPositionals
            ? `. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- ${JSON.stringify(token.rawName)}`
            : '';
          throw argError('ERR_PARSE_ARGS_UNKNOWN_OPTION', `Unknown option '${token.rawName}'${hint}`);
        }
        if (conf.type === 'string' && typeof token.value !== 'string') {
          throw argError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', `Option '${shortName}--${name} <value>' argument missing`);
        }
        if (conf.type === 'boolean' && token.value !== undefined) {
          throw argError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', `Option '${shortName}--${name}' does not take an argument`);
        }
        if (conf.type === 'string' && token.inlineValue === false && token.value.length > 1 && token.value[0] === '-') {
          const example = token.rawName.startsWith('--')
            ? `'--${name}=-XYZ'`
            : `'--${name}=-XYZ' or '${token.rawName}-XYZ'`;
          throw argError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE',
            `Option '${token.rawName}' argument is ambiguous.\nDid you forget to specify the option argument for '${token.rawName}'?\nTo specify an option argument starting with a dash use ${example}.`);
        }
      }
      store(name, negated ? false : token.value === undefined ? true : token.value);
    }
    for (const name of Object.keys(options)) {
      const fallback = options[name].default;
      if (fallback !== undefined && values[name] === undefined && name !== '__proto__') {
        values[name] = Array.isArray(fallback) ? fallback.slice() : fallback;
      }
    }
    const result = { values, positionals };
    if (returnTokens) result.tokens = tokens;
    return result;
  }

  // The ANSI codes behind util.inspect.colors (open, close).
  const styles = {
    __proto__: null,
    reset: [0, 0], bold: [1, 22], dim: [2, 22], italic: [3, 23], underline: [4, 24], blink: [5, 25],
    inverse: [7, 27], hidden: [8, 28], strikethrough: [9, 29], doubleunderline: [21, 24],
    black: [30, 39], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39],
    magenta: [35, 39], cyan: [36, 39], white: [37, 39], bgBlack: [40, 49], bgRed: [41, 49],
    bgGreen: [42, 49], bgYellow: [43, 49], bgBlue: [44, 49], bgMagenta: [45, 49], bgCyan: [46, 49],
    bgWhite: [47, 49], framed: [51, 54], overlined: [53, 55], gray: [90, 39], redBright: [91, 39],
    greenBright: [92, 39], yellowBright: [93, 39], blueBright: [94, 39], magentaBright: [95, 39],
    cyanBright: [96, 39], whiteBright: [97, 39], bgGray: [100, 49], bgRedBright: [101, 49],
    bgGreenBright: [102, 49], bgYellowBright: [103, 49], bgBlueBright: [104, 49],
    bgMagentaBright: [105, 49], bgCyanBright: [106, 49], bgWhiteBright: [107, 49],
  };
  function styleCodes(key) {
    const codes = typeof key === 'string' ? styles[key] : undefined;
    if (codes === undefined) {
      const allowed = Object.keys(styles).map((name) => `'${name}'`).join(', ');
      throw argError('ERR_INVALID_ARG_VALUE',
        `The argument 'format' must be one of: ${allowed}. Received ${inspect(key)}`);
    }
    return codes;
  }
  // Whether text written to `stream` gets colors, as Node decides it: a TTY
  // with colors (or FORCE_COLOR), unless NO_COLOR/NODE_DISABLE_COLORS.
  function shouldColorize(stream) {
    const env = internal.process.env;
    if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
    if (!stream || !stream.isTTY) return false;
    if (env.NO_COLOR !== undefined || env.NODE_DISABLE_COLORS !== undefined || env.TERM === 'dumb') return false;
    return typeof stream.getColorDepth === 'function' ? stream.getColorDepth() > 2 : true;
  }
  function styleText(format, text, { validateStream = true, stream = internal.process.stdout } = {}) {
    validateString(text, 'text');
    if (typeof validateStream !== 'boolean') {
      throw invalidArgType('options.validateStream', 'boolean', validateStream);
    }
    if (validateStream && (stream === null || typeof stream !== 'object' ||
        (typeof stream.write !== 'function' && typeof stream.read !== 'function' && typeof stream.pipe !== 'function'))) {
      throw invalidArgType('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream);
    }
    // A list of formats is applied whatever the stream (as Node 20 does).
    if (Array.isArray(format)) {
      let open = '';
      let close = '';
      for (const key of format) {
        const codes = styleCodes(key);
        open += `\u001b[${codes[0]}m`;
        close = `\u001b[${codes[1]}m${close}`;
      }
      return open + text + close;
    }
    const codes = styleCodes(format);
    if (validateStream && !shouldColorize(stream)) return text;
    return `\u001b[${codes[0]}m${text}\u001b[${codes[1]}m`;
  }

  module.exports = {
    _extend,
    callbackify,
    debug: debuglog,
    debuglog,
    deprecate,
    format,
    formatWithOptions,
    inherits,
    inspect,
    isArray: Array.isArray,
    isBoolean,
    isBuffer,
    isDeepStrictEqual,
    isNull,
    isNullOrUndefined,
    isNumber,
    isString,
    isSymbol,
    isUndefined,
    isRegExp: types.isRegExp,
    isObject,
    isDate: types.isDate,
    isError,
    isFunction,
    isPrimitive,
    log,
    parseArgs,
    promisify,
    styleText,
    stripVTControlCharacters,
    toUSVString(input) {
      return toWellFormed(`${input}`);
    },
    types,
  };

  // TextEncoder/TextDecoder: the classes behind the globals (whatever a
  // script put in their place), loaded on first read, then data properties.
  const exported = module.exports;
  for (const name of ['TextDecoder', 'TextEncoder']) {
    const define = (value) => Object.defineProperty(exported, name, {
      value, writable: true, enumerable: true, configurable: true,
    });
    Object.defineProperty(exported, name, {
      get() { const value = internal.encoding[name]; define(value); return value; },
      set: define,
      enumerable: true,
      configurable: true,
    });
  }
})
