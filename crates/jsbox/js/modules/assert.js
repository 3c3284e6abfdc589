// jsbox built-in module `assert` (Node 20's API; `assert/strict` hands out
// `assert.strict`). Written for jsbox from Node's documentation and from what
// `node` prints; it uses `internal.inspect` to render values and
// `internal.errors` for argument errors, and no other module, so a policy
// that allows `assert` needs nothing else.
//
// Differences from Node (also in docs/modules.md):
// - `ok(value)` cannot read the caller's source text: its message shows the
//   value where Node shows the expression (`assert.ok(0)` for `assert(x)`).
// - Values are rendered by jsbox's inspect, so where that differs from Node's
//   (functions, stack frames), the messages do too. Stacks hold QuickJS frames.
(function (exports, require, module, internal) {
  'use strict';

  const errors = internal.errors;
  const { codedError, invalidArgType, determineSpecificType } = errors;
  const inspect = (value, options) => internal.inspect(value, options);

  // Built-ins as they were when the module loaded: a script that replaces
  // them later does not change how values compare.
  const reflectApply = Reflect.apply;
  const ownKeys = Reflect.ownKeys;
  const call = (fn, self, ...args) => reflectApply(fn, self, args);
  const { toString: toStringTagOf, hasOwnProperty, propertyIsEnumerable, isPrototypeOf } = Object.prototype;
  const regExpExec = RegExp.prototype.exec;
  const dateGetTime = Date.prototype.getTime;
  const objectToString = (value) => call(toStringTagOf, value);
  const hasOwn = (object, key) => call(hasOwnProperty, object, key);
  const isEnumerable = (object, key) => call(propertyIsEnumerable, object, key);
  const execRegExp = (regexp, text) => call(regExpExec, regexp, text);
  const isObjectLike = (value) => value !== null && typeof value === 'object';

  // ---- brand checks (a script's Symbol.toStringTag cannot fake them) -------
  function brand(getter) {
    return (value) => {
      if (!isObjectLike(value)) return false;
      try {
        getter(value);
        return true;
      } catch {
        return false;
      }
    };
  }
  const accessor = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
  const regExpSource = accessor(RegExp.prototype, 'source');
  const isRegExpObject = brand((v) => call(regExpSource, v));
  // RegExp.prototype's source getter accepts RegExp.prototype itself.
  const isRegExp = (value) => value !== RegExp.prototype && isRegExpObject(value);
  const isDate = brand((v) => call(dateGetTime, v));
  const mapSize = accessor(Map.prototype, 'size');
  const isMap = brand((v) => call(mapSize, v));
  const setSize = accessor(Set.prototype, 'size');
  const isSet = brand((v) => call(setSize, v));
  const arrayBufferLength = accessor(ArrayBuffer.prototype, 'byteLength');
  const isArrayBuffer = brand((v) => call(arrayBufferLength, v));
  const sharedLength = typeof SharedArrayBuffer === 'function'
    ? accessor(SharedArrayBuffer.prototype, 'byteLength') : undefined;
  const isSharedArrayBuffer = sharedLength === undefined ? () => false : brand((v) => call(sharedLength, v));
  const typedArrayTag = accessor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag);
  const typedArrayKind = (value) => (isObjectLike(value) ? call(typedArrayTag, value) : undefined);
  const dataViewLength = accessor(DataView.prototype, 'byteLength');
  const isDataView = brand((v) => call(dataViewLength, v));
  const boxedReaders = [
    Number.prototype.valueOf,
    String.prototype.valueOf,
    Boolean.prototype.valueOf,
    BigInt.prototype.valueOf,
    Symbol.prototype.valueOf,
  ];
  // [kind, primitive] of a boxed primitive, or undefined.
  function unbox(value) {
    for (let kind = 0; kind < boxedReaders.length; kind++) {
      try {
        return [kind, call(boxedReaders[kind], value)];
      } catch {
        // not this kind
      }
    }
    return undefined;
  }
  const isError = (value) => value instanceof Error || objectToString(value) === '[object Error]';

  // ---- deep equality --------------------------------------------------------
  // `strict`: Object.is for primitives, same prototypes, enumerable symbol keys
  // count. Loose: `==` for primitives, prototypes ignored, symbols ignored.
  function isDeepEqual(a, b, strict) {
    return deepEqualValues(a, b, strict, new Map());
  }

  function deepEqualValues(a, b, strict, inProgress) {
    if (a === b) return a !== 0 || !strict || Object.is(a, b);
    if (strict) {
      if (!isObjectLike(a)) return typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b);
      if (!isObjectLike(b)) return false;
      if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    } else {
      if (!isObjectLike(a)) {
        if (isObjectLike(b)) return false;
        // eslint-disable-next-line eqeqeq
        return a == b || (Number.isNaN(a) && Number.isNaN(b));
      }
      if (!isObjectLike(b)) return false;
    }
    if (objectToString(a) !== objectToString(b)) return false;
    // A pair met again further down a cycle counts as equal there.
    let partners = inProgress.get(a);
    if (partners === undefined) {
      partners = new Set();
      inProgress.set(a, partners);
    } else if (partners.has(b)) {
      return true;
    }
    partners.add(b);
    try {
      return deepEqualObjects(a, b, strict, inProgress);
    } finally {
      partners.delete(b);
    }
  }

  // The own enumerable keys that deep equality compares (no array indices for
  // arrays and typed arrays; symbols only when strict).
  function comparedKeys(value, strict, skipIndices) {
    const keys = [];
    for (const key of ownKeys(value)) {
      if (typeof key === 'symbol') {
        if (!strict) continue;
      } else if (skipIndices && /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295) {
        continue;
      }
      if (isEnumerable(value, key)) keys.push(key);
    }
    return keys;
  }

  function sameBytes(x, y) {
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      if (x[i] !== y[i]) return false;
    }
    return true;
  }

  // What deep equality compares an object as, from brand checks (a script's
  // Symbol.toStringTag cannot fake one).
  function kindOf(value) {
    if (Array.isArray(value)) return 'array';
    const typed = typedArrayKind(value);
    if (typed !== undefined) return typed;
    if (isDate(value)) return 'date';
    if (isRegExp(value)) return 'regexp';
    if (isDataView(value)) return 'dataview';
    if (isArrayBuffer(value)) return 'arraybuffer';
    if (isSharedArrayBuffer(value)) return 'sharedarraybuffer';
    if (isSet(value)) return 'set';
    if (isMap(value)) return 'map';
    if (isError(value)) return 'error';
    const boxed = unbox(value);
    if (boxed !== undefined) return `boxed${boxed[0]}`;
    // Node's test for a URL.
    if (value.href && value.protocol && value.auth === undefined && value.path === undefined) return 'url';
    return 'object';
  }

  const bytesOf = (view) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

  function deepEqualObjects(a, b, strict, inProgress) {
    const same = (x, y) => deepEqualValues(x, y, strict, inProgress);
    const kind = kindOf(a);
    if (kind !== kindOf(b)) return false;
    let skipIndices = false;
    switch (kind) {
      case 'array':
        if (a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) {
          const inA = hasOwn(a, i);
          if (inA !== hasOwn(b, i)) return false;
          if (inA && !same(a[i], b[i])) return false;
        }
        skipIndices = true;
        break;
      case 'date':
        // Invalid dates are never equal, as in Node.
        if (call(dateGetTime, a) !== call(dateGetTime, b)) return false;
        break;
      case 'regexp':
        if (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
        break;
      case 'dataview':
        if (!sameBytes(bytesOf(a), bytesOf(b))) return false;
        break;
      case 'arraybuffer':
      case 'sharedarraybuffer':
        if (!sameBytes(new Uint8Array(a), new Uint8Array(b))) return false;
        break;
      case 'set':
        if (!sameSets(a, b, same)) return false;
        break;
      case 'map':
        if (!sameMaps(a, b, same)) return false;
        break;
      case 'error':
        if (a.message !== b.message || a.name !== b.name) return false;
        for (const key of ['cause', 'errors']) {
          if (hasOwn(a, key) !== hasOwn(b, key)) return false;
          if (hasOwn(a, key) && !same(a[key], b[key])) return false;
        }
        break;
      case 'url':
        if (a.href !== b.href) return false;
        break;
      case 'object':
        break;
      default:
        if (kind.startsWith('boxed')) {
          if (!Object.is(unbox(a)[1], unbox(b)[1])) return false;
        } else {
          // A typed array.
          if (a.length !== b.length) return false;
          if (!strict && (kind === 'Float32Array' || kind === 'Float64Array')) {
            for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
          } else if (!sameBytes(bytesOf(a), bytesOf(b))) {
            return false;
          }
          skipIndices = true;
        }
    }
    const keysA = comparedKeys(a, strict, skipIndices);
    const keysB = comparedKeys(b, strict, skipIndices);
    if (keysA.length !== keysB.length) return false;
    for (const key of keysA) {
      if (!(strict ? isEnumerable(b, key) : hasOwn(b, key))) return false;
    }
    for (const key of keysA) {
      if (!same(a[key], b[key])) return false;
    }
    return true;
  }

  // Values of `a` missing from `b` are matched, one to one, with the values
  // of `b` missing from `a`.
  function sameSets(a, b, same) {
    if (a.size !== b.size) return false;
    const missing = [];
    for (const value of a) if (!b.has(value)) missing.push(value);
    if (missing.length === 0) return true;
    const candidates = [];
    for (const value of b) if (!a.has(value)) candidates.push(value);
    for (const value of missing) {
      const at = candidates.findIndex((candidate) => same(value, candidate));
      if (at === -1) return false;
      candidates.splice(at, 1);
    }
    return true;
  }

  function sameMaps(a, b, same) {
    if (a.size !== b.size) return false;
    const missing = [];
    for (const [key, value] of a) {
      if (b.has(key)) {
        if (!same(value, b.get(key))) return false;
      } else {
        missing.push([key, value]);
      }
    }
    if (missing.length === 0) return true;
    const candidates = [];
    for (const entry of b) if (!a.has(entry[0])) candidates.push(entry);
    for (const [key, value] of missing) {
      const at = candidates.findIndex(([k, v]) => same(key, k) && same(value, v));
      if (at === -1) return false;
      candidates.splice(at, 1);
    }
    return true;
  }

  // ---- messages -------------------------------------------------------------
  const headers = {
    __proto__: null,
    deepStrictEqual: 'Expected values to be strictly deep-equal:',
    strictEqual: 'Expected values to be strictly equal:',
    strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
    deepEqual: 'Expected values to be loosely deep-equal:',
    notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
    notStrictEqual: 'Expected "actual" to be strictly unequal to:',
    notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
    notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
    notIdentical: 'Values have same structure but are not reference-equal:',
    notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
  };

  // Values as the messages show them: every level expanded, one entry a line,
  // keys sorted.
  function render(value) {
    return inspect(value, {
      compact: false, customInspect: false, depth: 1000, maxArrayLength: Infinity,
      showHidden: false, showProxy: false, sorted: true, getters: true,
    });
  }

  // At most 50 lines of `lines` (46 and an ellipsis when there are more).
  function capLines(lines) {
    return lines.length > 50 ? [...lines.slice(0, 46), '...'] : lines;
  }

  const isReference = (value) => isObjectLike(value) || typeof value === 'function';

  // The message of a failed strictEqual/deepStrictEqual: a short `a !== b` for
  // small primitives, else a line diff of the two renderings marked `+` for
  // actual and `-` for expected.
  function diffMessage(actual, expected, operator, custom) {
    const actualText = render(actual);
    const actualLines = actualText.split('\n');
    const expectedLines = render(expected).split('\n');
    let kind = operator;
    if (operator === 'strictEqual' &&
        ((isObjectLike(actual) && isObjectLike(expected)) ||
         (typeof actual === 'function' && typeof expected === 'function'))) {
      kind = 'strictEqualObject';
    }
    const header = custom === undefined ? headers[kind] : custom;
    let caret = '';
    if (actualLines.length === 1 && expectedLines.length === 1 && actualLines[0] !== expectedLines[0]) {
      const [one, two] = [actualLines[0], expectedLines[0]];
      const width = one.length + two.length;
      if (width <= 12) {
        if (!isObjectLike(actual) && !isObjectLike(expected) && (actual !== 0 || expected !== 0)) {
          return `${header}\n\n${one} !== ${two}\n`;
        }
      } else if (kind !== 'strictEqualObject' && width < 80) {
        let at = 0;
        while (at < one.length && one[at] === two[at]) at++;
        if (at > 2) caret = `\n  ${' '.repeat(at)}^`;
      }
    }

    // Identical trailing lines: the last three are shown, the first of a longer
    // run too, with an ellipsis between when five or more are left out.
    let trailing = 0;
    let firstOfTail = '';
    let tail = '';
    let skipped = false;
    while (actualLines.length > 0 && expectedLines.length > 0 &&
           actualLines[actualLines.length - 1] === expectedLines[expectedLines.length - 1]) {
      const line = actualLines.pop();
      expectedLines.pop();
      if (trailing < 3) tail = `\n  ${line}${tail}`;
      else firstOfTail = line;
      trailing++;
    }
    const longest = Math.max(actualLines.length, expectedLines.length);
    if (longest === 0) {
      // Same rendering, different references.
      return `${headers.notIdentical}\n\n${capLines(actualText.split('\n')).join('\n')}\n`;
    }
    if (trailing >= 5) {
      tail = `\n...${tail}`;
      skipped = true;
    }
    if (firstOfTail !== '') tail = `\n  ${firstOfTail}${tail}`;

    const title = `${header}\n+ actual - expected`;
    let out = '';
    let held = ''; // `-` lines waiting for the next shared line
    let shown = 0;
    let run = 0; // shared lines since the last difference
    // Before a difference: the lines of the shared run not shown yet (at most
    // two of its end, with an ellipsis for the rest).
    const flushRun = (lines, i) => {
      if (run > 2) {
        if (run > 4) {
          if (run === 5) {
            out += `\n  ${lines[i - 3]}`;
            shown++;
          } else {
            out += '\n...';
            skipped = true;
          }
        }
        if (run > 3) {
          out += `\n  ${lines[i - 2]}`;
          shown++;
        }
        out += `\n  ${lines[i - 1]}`;
        shown++;
      }
      run = 0;
    };
    const actualLonger = actualLines.length >= longest;
    const shared = actualLonger ? expectedLines.length : actualLines.length;
    for (let i = 0; i < longest; i++) {
      if (i >= shared) {
        const lines = actualLonger ? actualLines : expectedLines;
        flushRun(lines, i);
        if (actualLonger) out += `\n+ ${lines[i]}`;
        else held += `\n- ${lines[i]}`;
        shown++;
      } else {
        let line = actualLines[i];
        const other = expectedLines[i];
        let differs = line !== other && !(line.endsWith(',') && line.slice(0, -1) === other);
        if (differs && other.endsWith(',') && other.slice(0, -1) === line) {
          differs = false;
          line += ',';
        }
        if (differs) {
          flushRun(actualLines, i);
          out += `\n+ ${line}`;
          held += `\n- ${other}`;
          shown += 2;
        } else {
          out += held;
          held = '';
          run++;
          if (run <= 2) {
            out += `\n  ${line}`;
            shown++;
          }
        }
      }
      if (shown > 50 && i < longest - 2) {
        return `${title} ... Lines skipped\n${out}\n...${held}\n...`;
      }
    }
    return `${title}${skipped ? ' ... Lines skipped' : ''}\n${out}${held}${tail}${caret}`;
  }

  // The message of every other operator.
  function generatedMessage(actual, expected, operator) {
    if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual') {
      const base = operator === 'notStrictEqual' && isReference(actual)
        ? headers.notStrictEqualObject : headers[operator];
      const lines = capLines(render(actual).split('\n'));
      if (lines.length === 1) return `${base}${lines[0].length > 5 ? '\n\n' : ' '}${lines[0]}`;
      return `${base}\n\n${lines.join('\n')}\n`;
    }
    const cut = (text, max) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);
    const one = render(actual);
    const two = render(expected);
    if (operator === 'notDeepEqual' && one === two) return cut(`${headers.notDeepEqual}\n\n${one}`, 1024);
    if (operator === 'deepEqual') {
      return `${headers.deepEqual}\n\n${cut(one, 512)}\n\nshould loosely deep-equal\n\n${cut(two, 512)}`;
    }
    if (operator === 'notDeepEqual') {
      return `${headers.notDeepEqualUnequal}\n\n${cut(one, 512)}\n\nshould not loosely deep-equal\n\n${cut(two, 512)}`;
    }
    return `${cut(one, 512)} ${operator} ${cut(two, 512)}`;
  }

  // An Error shown in a message without its stack: same prototype, its own
  // enumerable properties and its message.
  function withoutStack(error) {
    const copy = Object.assign(Object.create(Object.getPrototypeOf(error)), error);
    Object.defineProperty(copy, 'message', { value: error.message });
    return copy;
  }

  class AssertionError extends Error {
    constructor(options) {
      if (!isObjectLike(options)) throw invalidArgType('options', 'object', options);
      const { message, operator, stackStartFn } = options;
      let { actual, expected } = options;
      let text;
      const diffed = operator === 'deepStrictEqual' || operator === 'strictEqual';
      if (message != null && !diffed) {
        text = String(message);
      } else {
        if (isObjectLike(actual) && isObjectLike(expected) && actual instanceof Error && expected instanceof Error &&
            'stack' in actual && 'stack' in expected) {
          actual = withoutStack(actual);
          expected = withoutStack(expected);
        }
        text = diffed
          ? diffMessage(actual, expected, operator, message ? String(message) : undefined)
          : generatedMessage(actual, expected, operator);
      }
      super(text);
      if (typeof Error.captureStackTrace === 'function') {
        Error.captureStackTrace(this, typeof stackStartFn === 'function' ? stackStartFn : AssertionError);
      }
      const frames = String(this.stack);
      if (/^\s*at /.test(frames)) {
        Object.defineProperty(this, 'stack', {
          value: `AssertionError [ERR_ASSERTION]: ${text}\n${frames.replace(/\n+$/, '')}`,
          enumerable: false, writable: true, configurable: true,
        });
      }
      this.generatedMessage = !message;
      Object.defineProperty(this, 'name', {
        value: 'AssertionError', enumerable: false, writable: true, configurable: true,
      });
      this.code = 'ERR_ASSERTION';
      this.actual = actual;
      this.expected = expected;
      this.operator = operator;
    }

    toString() {
      return `${this.name} [${this.code}]: ${this.message}`;
    }

    // util.inspect / console.log: actual and expected one level deep, long
    // strings cut (the message already shows both values).
    [Symbol.for('nodejs.util.inspect.custom')](depth, options) {
      const saved = [this.actual, this.expected];
      try {
        if (typeof this.actual === 'string') this.actual = shortened(this.actual);
        if (typeof this.expected === 'string') this.expected = shortened(this.expected);
        return inspect(this, { ...options, customInspect: false, depth: 0 });
      } finally {
        [this.actual, this.expected] = saved;
      }
    }
  }

  // At most ten lines of a string, with `...` after; a longer single line
  // shows what follows its 512th character, as Node 20 does.
  function shortened(text) {
    const lines = text.split('\n', 11);
    if (lines.length > 10) return `${lines.slice(0, 10).join('\n')}\n...`;
    if (text.length > 512) return `${text.slice(512)}...`;
    return text;
  }

  // Throws the AssertionError for a failed check, or `message` itself when it
  // is an Error.
  function failWith(options) {
    if (options.message instanceof Error) throw options.message;
    throw new AssertionError(options);
  }

  function missingArgs() {
    return codedError(TypeError, 'ERR_MISSING_ARGS', 'The "actual" and "expected" arguments must be specified');
  }

  // ---- ok -------------------------------------------------------------------
  function checkTruthy(fn, callee, count, value, message) {
    if (value) return;
    let generated = false;
    if (count === 0) {
      generated = true;
      message = 'No value argument passed to `assert.ok()`';
    } else if (message == null) {
      generated = true;
      message = `The expression evaluated to a falsy value:\n\n  ${callee}(${inspect(value)})\n`;
    } else if (message instanceof Error) {
      throw message;
    }
    const err = new AssertionError({ actual: value, expected: true, message, operator: '==', stackStartFn: fn });
    err.generatedMessage = generated;
    throw err;
  }

  // The module itself: `assert === assert.ok`, as in Node.
  function ok(...args) {
    checkTruthy(ok, 'assert.ok', args.length, args[0], args[1]);
  }
  const assert = ok;

  // ---- fail -----------------------------------------------------------------
  let failWarned = false;
  function fail(actual, expected, message, operator, stackStartFn) {
    const count = arguments.length;
    let internalMessage = false;
    if (actual == null && count <= 1) {
      internalMessage = true;
      message = 'Failed';
    } else if (count === 1) {
      message = actual;
      actual = undefined;
    } else {
      if (!failWarned) {
        failWarned = true;
        const text = 'assert.fail() with more than one argument is deprecated. ' +
          'Please use assert.strictEqual() instead or only pass a message.';
        const warning = new Error(text);
        warning.name = 'DeprecationWarning';
        warning.code = 'DEP0094';
        if (typeof internal.warn === 'function') internal.warn(`[DEP0094] DeprecationWarning: ${text}`, warning);
      }
      if (count === 2) operator = '!=';
    }
    if (message instanceof Error) throw message;
    const err = new AssertionError({
      actual, expected, message,
      operator: operator === undefined ? 'fail' : operator,
      stackStartFn: stackStartFn || fail,
    });
    if (internalMessage) err.generatedMessage = true;
    throw err;
  }

  // ---- comparisons ----------------------------------------------------------
  function equal(actual, expected, message) {
    if (arguments.length < 2) throw missingArgs();
    // eslint-disable-next-line eqeqeq
    if (actual != expected && !(Number.isNaN(actual) && Number.isNaN(expected))) {
      failWith({ actual, expected, message, operator: '==', stackStartFn: equal });
    }
  }

  function notEqual(actual, expected, message) {
    if (arguments.length < 2) throw missingArgs();
    // eslint-disable-next-line eqeqeq
    if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) {
      failWith({ actual, expected, message, operator: '!=', stackStartFn: notEqual });
    }
  }

  function strictEqual(actual, expected, message) {
    if (arguments.length < 2) throw missingArgs();
    if (!Object.is(actual, expected)) {
      failWith({ actual, expected, message, operator: 'strictEqual', stackStartFn: strictEqual });
    }
  }

  function notStrictEqual(actual, expected, message) {
    if (arguments.length < 2) throw missingArgs();
    if (Object.is(actual, expected)) {
      failWith({ actual, expected, message, operator: 'notStrictEqual', stackStartFn: notStrictEqual });
    }
  }

  function deepEqual(actual, expected, message) {
    if (arguments.length < 2) throw missingArgs();
    if (!isDeepEqual(actual, expected, false)) {
      failWith({ actual, expected, message, operator: 'deepEqual', stackStartFn: deepEqual });
    }
  }

  function notDeepEqual(actual, expected, message) {
    if (arguments.length < 2) throw missingArgs();
    if (isDeepEqual(actual, expected, false)) {
      failWith({ actual, expected, message, operator: 'notDeepEqual', stackStartFn: notDeepEqual });
    }
  }

  function deepStrictEqual(actual, expected, message) {
    if (arguments.length < 2) throw missingArgs();
    if (!isDeepEqual(actual, expected, true)) {
      failWith({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: deepStrictEqual });
    }
  }

  function notDeepStrictEqual(actual, expected, message) {
    if (arguments.length < 2) throw missingArgs();
    if (isDeepEqual(actual, expected, true)) {
      failWith({ actual, expected, message, operator: 'notDeepStrictEqual', stackStartFn: notDeepStrictEqual });
    }
  }

  // ---- throws / rejects -------------------------------------------------------
  const NOTHING = Symbol('no exception');

  function caught(fn) {
    if (typeof fn !== 'function') throw invalidArgType('fn', 'Function', fn);
    try {
      fn();
    } catch (err) {
      return err;
    }
    return NOTHING;
  }

  const isThenable = (value) => value instanceof Promise ||
    (isObjectLike(value) && typeof value.then === 'function' && typeof value.catch === 'function');

  async function settled(promiseFn) {
    let promise;
    if (typeof promiseFn === 'function') {
      promise = promiseFn();
      if (!isThenable(promise)) {
        throw codedError(TypeError, 'ERR_INVALID_RETURN_VALUE',
          `Expected instance of Promise to be returned from the "promiseFn" function but got ${determineSpecificType(promise)}.`);
      }
    } else if (isThenable(promiseFn)) {
      promise = promiseFn;
    } else {
      throw invalidArgType('promiseFn', ['Function', 'Promise'], promiseFn);
    }
    try {
      await promise;
    } catch (err) {
      return err;
    }
    return NOTHING;
  }

  // Placeholders shown in the diff of a failed validation object: the keys
  // that were checked, and for a RegExp that matched, the actual string.
  class Comparison {
    constructor(source, keys, actual) {
      for (const key of keys) {
        if (!(key in source)) continue;
        if (actual !== undefined && typeof actual[key] === 'string' && isRegExp(source[key]) &&
            execRegExp(source[key], actual[key]) !== null) {
          this[key] = actual[key];
        } else {
          this[key] = source[key];
        }
      }
    }
  }

  function checkThrown(actual, expected, message, fn) {
    let generated = false;
    if (typeof expected !== 'function') {
      if (isRegExp(expected)) {
        const text = String(actual);
        if (execRegExp(expected, text) !== null) return;
        if (!message) {
          generated = true;
          message = `The input did not match the regular expression ${inspect(expected)}. Input:\n\n${inspect(text)}\n`;
        }
      } else if (!isObjectLike(actual)) {
        const err = new AssertionError({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: fn });
        err.operator = fn.name;
        throw err;
      } else {
        const keys = Object.keys(expected);
        if (expected instanceof Error) {
          keys.push('name', 'message');
        } else if (keys.length === 0) {
          throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
            `The argument 'error' may not be an empty object. Received ${inspect(expected)}`);
        }
        for (const key of keys) {
          if (typeof actual[key] === 'string' && isRegExp(expected[key]) &&
              execRegExp(expected[key], actual[key]) !== null) {
            continue;
          }
          if (key in actual && isDeepEqual(actual[key], expected[key], true)) continue;
          if (message) {
            failWith({ actual, expected, message, operator: fn.name, stackStartFn: fn });
          }
          const err = new AssertionError({
            actual: new Comparison(actual, keys),
            expected: new Comparison(expected, keys, actual),
            operator: 'deepStrictEqual',
            stackStartFn: fn,
          });
          err.actual = actual;
          err.expected = expected;
          err.operator = fn.name;
          throw err;
        }
        return;
      }
    } else if (expected.prototype !== undefined && actual instanceof expected) {
      return;
    } else if (call(isPrototypeOf, Error, expected)) {
      if (!message) {
        generated = true;
        message = `The error is expected to be an instance of "${expected.name}". Received `;
        if (isError(actual)) {
          const name = (actual.constructor && actual.constructor.name) || actual.name;
          message += expected.name === name
            ? 'an error with identical name but a different prototype.'
            : `"${name}"`;
          if (actual.message) message += `\n\nError message:\n\n${actual.message}`;
        } else {
          message += `"${inspect(actual, { depth: -1 })}"`;
        }
      }
    } else {
      const result = reflectApply(expected, {}, [actual]);
      if (result === true) return;
      if (!message) {
        generated = true;
        const name = expected.name ? `"${expected.name}" ` : '';
        message = `The ${name}validation function is expected to return "true". Received ${inspect(result)}`;
        if (isError(actual)) message += `\n\nCaught error:\n\n${actual}`;
      }
    }
    const err = new AssertionError({ actual, expected, message, operator: fn.name, stackStartFn: fn });
    err.generatedMessage = generated;
    throw err;
  }

  function expectThrown(fn, actual, args) {
    let [error, message] = args;
    if (typeof error === 'string') {
      if (args.length >= 2) {
        throw invalidArgType('error', ['Object', 'Error', 'Function', 'RegExp'], error);
      }
      if (isObjectLike(actual)) {
        if (actual.message === error) {
          throw codedError(TypeError, 'ERR_AMBIGUOUS_ARGUMENT',
            `The "error/message" argument is ambiguous. The error message "${actual.message}" is identical to the message.`);
        }
      } else if (actual === error) {
        throw codedError(TypeError, 'ERR_AMBIGUOUS_ARGUMENT',
          `The "error/message" argument is ambiguous. The error "${actual}" is identical to the message.`);
      }
      message = error;
      error = undefined;
    } else if (error != null && typeof error !== 'object' && typeof error !== 'function') {
      throw invalidArgType('error', ['Object', 'Error', 'Function', 'RegExp'], error);
    }
    if (actual === NOTHING) {
      let details = '';
      if (error && error.name) details += ` (${error.name})`;
      details += message ? `: ${message}` : '.';
      const what = fn === rejects ? 'rejection' : 'exception';
      failWith({ actual: undefined, expected: error, operator: fn.name, message: `Missing expected ${what}${details}`, stackStartFn: fn });
    }
    if (error) checkThrown(actual, error, message, fn);
  }

  function matchesUnwanted(actual, expected) {
    if (typeof expected !== 'function') {
      if (isRegExp(expected)) return execRegExp(expected, String(actual)) !== null;
      throw invalidArgType('expected', ['Function', 'RegExp'], expected);
    }
    if (expected.prototype !== undefined && actual instanceof expected) return true;
    if (call(isPrototypeOf, Error, expected)) return false;
    return reflectApply(expected, {}, [actual]) === true;
  }

  function expectNothing(fn, actual, args) {
    if (actual === NOTHING) return;
    let [error, message] = args;
    if (typeof error === 'string') {
      message = error;
      error = undefined;
    }
    if (!error || matchesUnwanted(actual, error)) {
      const details = message ? `: ${message}` : '.';
      const what = fn === doesNotReject ? 'rejection' : 'exception';
      const shown = actual === null || actual === undefined ? undefined : actual.message;
      failWith({
        actual, expected: error, operator: fn.name, stackStartFn: fn,
        message: `Got unwanted ${what}${details}\nActual message: "${shown}"`,
      });
    }
    throw actual;
  }

  function throws(fn, ...args) {
    expectThrown(throws, caught(fn), args);
  }

  async function rejects(promiseFn, ...args) {
    expectThrown(rejects, await settled(promiseFn), args);
  }

  function doesNotThrow(fn, ...args) {
    expectNothing(doesNotThrow, caught(fn), args);
  }

  async function doesNotReject(promiseFn, ...args) {
    expectNothing(doesNotReject, await settled(promiseFn), args);
  }

  // ---- ifError, match ---------------------------------------------------------
  function ifError(err) {
    if (err === null || err === undefined) return;
    let message = 'ifError got unwanted exception: ';
    if (isObjectLike(err) && typeof err.message === 'string') {
      if (err.message.length === 0 && err.constructor) message += err.constructor.name;
      else message += err.message;
    } else {
      message += inspect(err);
    }
    throw new AssertionError({ actual: err, expected: null, operator: 'ifError', message, stackStartFn: ifError });
  }

  function checkMatch(fn, wanted, string, regexp, message) {
    if (!isRegExp(regexp)) throw invalidArgType('regexp', 'RegExp', regexp);
    if (typeof string === 'string' && (execRegExp(regexp, string) !== null) === wanted) return;
    if (message instanceof Error) throw message;
    const generated = !message;
    if (!message) {
      if (typeof string !== 'string') {
        message = `The "string" argument must be of type string. Received type ${typeof string} (${inspect(string)})`;
      } else {
        message = `${wanted ? 'The input did not match the regular expression '
          : 'The input was expected to not match the regular expression '}${inspect(regexp)}. Input:\n\n${inspect(string)}\n`;
      }
    }
    const err = new AssertionError({ actual: string, expected: regexp, message, operator: fn.name, stackStartFn: fn });
    err.generatedMessage = generated;
    throw err;
  }

  function match(string, regexp, message) {
    checkMatch(match, true, string, regexp, message);
  }

  function doesNotMatch(string, regexp, message) {
    checkMatch(doesNotMatch, false, string, regexp, message);
  }

  // ---- CallTracker (deprecated in Node 20, kept for old tests) -------------------
  let trackerWarned = false;
  const untracked = (fn) => codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
    `The argument 'tracked' is not a tracked function. Received ${inspect(fn)}`);

  class CallTracker {
    #tracked = new WeakMap(); // tracked function -> its record
    #records = new Set();

    constructor() {
      if (!trackerWarned) {
        trackerWarned = true;
        const text = 'assert.CallTracker is deprecated.';
        const warning = new Error(text);
        warning.name = 'DeprecationWarning';
        warning.code = 'DEP0173';
        if (typeof internal.warn === 'function') internal.warn(`[DEP0173] DeprecationWarning: ${text}`, warning);
      }
    }

    calls(fn, expected = 1) {
      if (typeof fn === 'number') {
        expected = fn;
        fn = undefined;
      }
      if (fn === undefined) fn = (() => () => {})();
      if (typeof expected !== 'number') throw invalidArgType('expected', 'number', expected);
      if (!Number.isInteger(expected)) {
        throw errors.outOfRange('expected', 'an integer', expected);
      }
      if (expected < 1 || expected > 4294967295) {
        throw errors.outOfRange('expected', '>= 1 && <= 4294967295', expected);
      }
      const record = {
        name: (typeof fn === 'function' && fn.name) || 'calls',
        expected,
        calls: [],
        stack: new Error(),
      };
      const tracked = new Proxy(fn, {
        apply(target, thisArg, args) {
          record.calls.push(Object.freeze({ thisArg, arguments: args }));
          return reflectApply(target, thisArg, args);
        },
      });
      this.#tracked.set(tracked, record);
      this.#records.add(record);
      return tracked;
    }

    getCalls(fn) {
      const record = this.#tracked.get(fn);
      if (record === undefined) throw untracked(fn);
      return [...record.calls];
    }

    report() {
      const out = [];
      for (const record of this.#records) {
        if (record.calls.length === record.expected) continue;
        out.push({
          message: `Expected the ${record.name} function to be executed ${record.expected} time(s) but ` +
            `was executed ${record.calls.length} time(s).`,
          actual: record.calls.length,
          expected: record.expected,
          operator: record.name,
          stack: record.stack,
        });
      }
      return out;
    }

    reset(fn) {
      if (fn === undefined) {
        for (const record of this.#records) record.calls = [];
        return;
      }
      const record = this.#tracked.get(fn);
      if (record === undefined) throw untracked(fn);
      record.calls = [];
    }

    verify() {
      const failures = this.report();
      if (failures.length === 0) return;
      const message = failures.length === 1
        ? failures[0].message : 'Functions were not called the expected number of times';
      const err = new AssertionError({ message, stackStartFn: this.verify });
      failures.forEach((failure, i) => {
        err[`message ${i}`] = failure.message;
        err[`actual ${i}`] = failure.actual;
        err[`expected ${i}`] = failure.expected;
        err[`operator ${i}`] = failure.operator;
        err[`stack trace ${i}`] = failure.stack;
      });
      throw err;
    }
  }

  // ---- the exports --------------------------------------------------------------
  const members = {
    fail, AssertionError, ok, equal, notEqual, deepEqual, notDeepEqual, deepStrictEqual,
    notDeepStrictEqual, strictEqual, notStrictEqual, throws, rejects, doesNotThrow,
    doesNotReject, ifError, match, doesNotMatch, CallTracker,
  };
  Object.assign(assert, members);

  function strict(...args) {
    checkTruthy(strict, 'assert', args.length, args[0], args[1]);
  }
  Object.assign(strict, members, {
    equal: strictEqual,
    deepEqual: deepStrictEqual,
    notEqual: notStrictEqual,
    notDeepEqual: notDeepStrictEqual,
  });
  assert.strict = strict;
  strict.strict = strict;

  module.exports = assert;
})
