(function () {
  'use strict';
  // Self-contained re-implementation of Node's `util.format` / `util.inspect`
  // (modelled on Node 20's lib/internal/util/inspect.js) using only ES2023
  // built-ins. Evaluating this file yields a factory; calling it returns
  // `{ format, formatWithOptions, inspect }`. No global or prototype is touched.
  //
  // Known differences from Node (things plain JS cannot observe):
  // - Promise state is invisible: every promise prints as `Promise { <pending> }`.
  // - Proxies are inspected through their traps (`showProxy` is ignored).
  // - Map/Set iterators cannot be previewed without consuming them; they print
  //   as ordinary objects (e.g. `Object [Map Iterator] {}`).
  // - `colors` and `numericSeparator` are ignored; `showHidden` lists
  //   non-enumerable own keys but not prototype properties.
  // - Errors: a stack made only of `    at ...` lines (QuickJS style) gets a
  //   `Name: message` header line; Node's "... N lines matching cause stack
  //   trace ..." folding is not done.
  // - The "internal" constructor name of an object whose prototype chain has
  //   no named constructor comes from Object.prototype.toString, not V8.
  const O = Object;
  const getProto = O.getPrototypeOf;
  const getDesc = O.getOwnPropertyDescriptor;
  const hasOwn = (o, k) => O.prototype.hasOwnProperty.call(o, k);
  const isEnum = (o, k) => O.prototype.propertyIsEnumerable.call(o, k);
  const objTag = (v) => O.prototype.toString.call(v);
  const customSym = Symbol.for('nodejs.util.inspect.custom');
  const defaults = {
    showHidden: false, depth: 2, colors: false, customInspect: true, showProxy: false,
    maxArrayLength: 100, maxStringLength: 10000, breakLength: 80, compact: 3, sorted: false,
    getters: false,
  };
  const kObjectType = 0, kArrayType = 1, kArrayExtrasType = 2;

  // ---- brand checks (side-effect free, subclass friendly) ----
  const getter = (C, k) => { const d = typeof C === 'function' && getDesc(C.prototype, k); return d && d.get; };
  const brand = (fn, arg) => (fn
    ? (v) => { try { fn.call(v, arg); return true; } catch { return false; } }
    : () => false);
  const mapSize = getter(Map, 'size'), setSize = getter(Set, 'size');
  const isMap = brand(mapSize), isSet = brand(setSize);
  const isDate = brand(Date.prototype.getTime);
  const abLen = getter(ArrayBuffer, 'byteLength');
  const sabLen = getter(typeof SharedArrayBuffer === 'function' && SharedArrayBuffer, 'byteLength');
  const isArrayBuffer = brand(abLen), isSharedArrayBuffer = brand(sabLen);
  const isDataView = brand(getter(DataView, 'byteLength'));
  const TypedArrayProto = getProto(Uint8Array.prototype);
  const taTag = getDesc(TypedArrayProto, Symbol.toStringTag).get;
  const taLen = getDesc(TypedArrayProto, 'length').get;
  const isTypedArray = (v) => taTag.call(v) !== undefined;
  const isWeakMap = brand(WeakMap.prototype.has, {}), isWeakSet = brand(WeakSet.prototype.has, {});
  const isRegExpBrand = brand(getter(RegExp, 'source'));
  const isRegExp = (v) => v !== RegExp.prototype && isRegExpBrand(v);
  const isError = (v) => v instanceof Error || objTag(v) === '[object Error]';
  const isPromise = (v) => v instanceof Promise || objTag(v) === '[object Promise]';
  const AsyncFn = getProto(async function () {});
  const GenFn = getProto(function* () {});
  const AsyncGenFn = getProto(async function* () {});
  const boxed = [[Number, 'Number'], [String, 'String'], [Boolean, 'Boolean'],
    [typeof BigInt === 'function' && BigInt, 'BigInt'], [Symbol, 'Symbol']]
    .filter((b) => b[0]).map(([C, type]) => [brand(C.prototype.valueOf), C.prototype.valueOf, type]);
  let builtInObjects;
  // Globals Node adds after taking its list of built-ins: `%s` prints their
  // objects with their own toString (a Buffer as its text).
  const nodeGlobals = ['Buffer', 'URL', 'URLSearchParams'];
  const builtIns = () => builtInObjects || (builtInObjects = new Set(
    O.getOwnPropertyNames(globalThis).filter((e) => /^[A-Z][a-zA-Z0-9]+$/.test(e) && !nodeGlobals.includes(e))));

  // ---- strings ----
  const meta = [];
  for (let i = 0; i < 0xa0; i++) {
    meta[i] = i < 0x20 || i >= 0x7f ? `\\x${i.toString(16).toUpperCase().padStart(2, '0')}` : '';
  }
  Object.assign(meta, { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 39: "\\'", 92: '\\\\' });
  const lone = '|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
  const escRe = new RegExp(`[\\x00-\\x1f\\x27\\x5c\\x7f-\\x9f]${lone}`);
  const escReSingle = new RegExp(`[\\x00-\\x1f\\x5c\\x7f-\\x9f]${lone}`);
  const escReplacer = /[\x00-\x1f\x27\x5c\x7f-\x9f]/g;
  const escapeFn = (s) => meta[s.charCodeAt(0)];
  const keyStrRe = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
  const numberRe = /^(0|[1-9][0-9]*)$/;

  function strEscape(str) {
    let quote = 39; // single quote; -2: double quotes; -1: backticks
    if (str.includes("'")) {
      if (!str.includes('"')) quote = -2;
      else if (!str.includes('`') && !str.includes('${')) quote = -1;
    }
    if ((quote === 39 ? escRe : escReSingle).test(str)) {
      let result = '', last = 0;
      for (let i = 0; i < str.length; i++) {
        const c = str.charCodeAt(i);
        if (c === quote || c === 92 || c < 32 || (c > 126 && c < 160)) {
          result += str.slice(last, i) + meta[c];
          last = i + 1;
        } else if (c >= 0xd800 && c <= 0xdfff) {
          if (c <= 0xdbff && i + 1 < str.length) {
            const d = str.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
          }
          result += `${str.slice(last, i)}\\u${c.toString(16)}`;
          last = i + 1;
        }
      }
      str = result + str.slice(last);
    }
    return quote === -2 ? `"${str}"` : quote === -1 ? `\`${str}\`` : `'${str}'`;
  }

  // Display width (full-width CJK/emoji count 2, combining marks 0).
  const wide = [0x1100, 0x115f, 0x2329, 0x232a, 0x2e80, 0x303e, 0x3040, 0x3247, 0x3250, 0x4dbf,
    0x4e00, 0xa4c6, 0xa960, 0xa97c, 0xac00, 0xd7a3, 0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe6b,
    0xff01, 0xff60, 0xffe0, 0xffe6, 0x1b000, 0x1b001, 0x1f200, 0x1f251, 0x1f300, 0x1f64f, 0x20000, 0x3fffd];
  const zero = [0, 0x1f, 0x7f, 0x9f, 0x300, 0x36f, 0x200b, 0x200f, 0x20d0, 0x20ff, 0xfe00, 0xfe0f,
    0xfe20, 0xfe2f, 0xe0100, 0xe01ef];
  const inRanges = (r, c) => { for (let i = 0; i < r.length; i += 2) if (c >= r[i] && c <= r[i + 1]) return true; return false; };
  function getStringWidth(str) {
    if (/^[\x20-\x7e]*$/.test(str)) return str.length;
    let width = 0;
    for (const ch of str.normalize('NFC')) {
      const c = ch.codePointAt(0);
      if (inRanges(wide, c)) width += 2;
      else if (!inRanges(zero, c)) width++;
    }
    return width;
  }

  // ---- primitives ----
  const formatNumber = (n) => (O.is(n, -0) ? '-0' : `${n}`);
  const formatBigInt = (n) => `${n}n`;
  const remainingText = (n) => `... ${n} more item${n > 1 ? 's' : ''}`;

  function formatPrimitive(value, ctx) {
    if (typeof value === 'string') {
      let trailer = '';
      if (value.length > ctx.maxStringLength) {
        const remaining = value.length - ctx.maxStringLength;
        value = value.slice(0, ctx.maxStringLength);
        trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
      }
      if (ctx.compact !== true && value.length > 16 && value.length > ctx.breakLength - ctx.indentationLvl - 4) {
        return value.split(/(?<=\n)/).map(strEscape).join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`) + trailer;
      }
      return strEscape(value) + trailer;
    }
    if (typeof value === 'number') return formatNumber(value);
    if (typeof value === 'bigint') return formatBigInt(value);
    return String(value); // boolean, undefined, symbol
  }

  // ---- inspect ----
  function inspect(value, opts) {
    const ctx = { indentationLvl: 0, seen: [], currentDepth: 0, stylize: stylizeNoColor, ...defaults };
    if (arguments.length > 1) {
      if (arguments.length > 2) {
        if (arguments[2] !== undefined) ctx.depth = arguments[2];
        if (arguments.length > 3 && arguments[3] !== undefined) ctx.colors = arguments[3];
      }
      if (typeof opts === 'boolean') {
        ctx.showHidden = opts;
      } else if (opts) {
        for (const key of O.keys(opts)) {
          if (hasOwn(defaults, key) || key === 'stylize') ctx[key] = opts[key];
          else if (ctx.userOptions === undefined) ctx.userOptions = opts;
        }
      }
    }
    if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
    if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
    return formatValue(ctx, value, 0);
  }
  inspect.custom = customSym;
  function stylizeNoColor(str) { return str; }

  function getUserOptions(ctx) {
    const obj = { stylize: ctx.stylize };
    for (const key of O.keys(defaults)) obj[key] = ctx[key];
    return ctx.userOptions === undefined ? obj : { ...obj, ...ctx.userOptions };
  }

  function formatValue(ctx, value, recurseTimes, typedArray) {
    if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(value, ctx);
    if (value === null) return 'null';
    if (ctx.customInspect) {
      const maybeCustom = value[customSym];
      if (typeof maybeCustom === 'function' && maybeCustom !== inspect &&
          !(value.constructor && value.constructor.prototype === value)) {
        const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
        const ret = maybeCustom.call(value, depth, getUserOptions(ctx), inspect);
        if (ret !== value) {
          if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
          return ret.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
        }
      }
    }
    if (ctx.seen.includes(value)) {
      if (ctx.circular === undefined) ctx.circular = new Map();
      let index = ctx.circular.get(value);
      if (index === undefined) ctx.circular.set(value, (index = ctx.circular.size + 1));
      return `[Circular *${index}]`;
    }
    return formatRaw(ctx, value, recurseTimes, typedArray);
  }

  const internalCtorName = (v) => objTag(v).slice(8, -1);

  function getConstructorName(obj, ctx, recurseTimes) {
    let firstProto;
    const tmp = obj;
    while (obj) {
      const d = getDesc(obj, 'constructor');
      if (d !== undefined && typeof d.value === 'function' && d.value.name !== '') {
        let ok = false;
        try { ok = tmp instanceof d.value; } catch { /* not an instance */ }
        if (ok) return String(d.value.name);
      }
      obj = getProto(obj);
      if (firstProto === undefined) firstProto = obj;
    }
    if (firstProto === null) return null;
    const res = internalCtorName(tmp);
    if (recurseTimes > ctx.depth && ctx.depth !== null) return `${res} <Complex prototype>`;
    const protoConstr = getConstructorName(firstProto, ctx, recurseTimes + 1);
    if (protoConstr !== null) return `${res} <${protoConstr}>`;
    return `${res} <${inspect(firstProto, { ...getUserOptions(ctx), customInspect: false, depth: -1 })}>`;
  }

  function getPrefix(constructor, tag, fallback, size = '') {
    if (constructor === null) {
      if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
      return `[${fallback}${size}: null prototype] `;
    }
    if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
    return `${constructor}${size} `;
  }

  function getCtxStyle(value, constructor, tag) {
    let fallback = '';
    if (constructor === null) {
      fallback = internalCtorName(value);
      if (fallback === tag) fallback = 'Object';
    }
    return getPrefix(constructor, tag, fallback);
  }

  function getKeys(value, showHidden) {
    const symbols = O.getOwnPropertySymbols(value);
    if (showHidden) return [...O.getOwnPropertyNames(value), ...symbols];
    const keys = O.keys(value);
    for (const s of symbols) if (isEnum(value, s)) keys.push(s);
    return keys;
  }
  const isIndex = (k) => numberRe.test(k) && +k < 4294967295;
  // Own keys list array indices first (spec order), so the rest is a suffix.
  function getNonIndexKeys(value, showHidden) {
    const keys = getKeys(value, showHidden);
    let i = keys.length;
    while (i > 0 && (typeof keys[i - 1] === 'symbol' || !isIndex(keys[i - 1]))) i--;
    return i === 0 ? keys : keys.slice(i);
  }

  function getFunctionBase(value, constructor, tag) {
    const src = Function.prototype.toString.call(value);
    if (src.startsWith('class') && src.endsWith('}')) {
      const slice = src.slice(5, -1);
      const bracketIndex = slice.indexOf('{');
      if (bracketIndex !== -1 && (!slice.slice(0, bracketIndex).includes('(') ||
          /^(\s+[^(]*?)\s*{/.test(slice.replace(/(\/\/.*?\n)|(\/\*(.|\n)*?\*\/)/g, '')))) {
        let base = `class ${(hasOwn(value, 'name') && value.name) || '(anonymous)'}`;
        if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`;
        if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
        if (constructor === null) {
          base += ' extends [null prototype]';
        } else {
          const superName = getProto(value).name;
          if (superName) base += ` extends ${superName}`;
        }
        return `[${base}]`;
      }
    }
    let type = 'Function';
    if (GenFn.isPrototypeOf(value) || AsyncGenFn.isPrototypeOf(value)) type = `Generator${type}`;
    if (AsyncFn.isPrototypeOf(value) || AsyncGenFn.isPrototypeOf(value)) type = `Async${type}`;
    let base = `[${type}${constructor === null ? ' (null prototype)' : ''}`;
    base += `${value.name === '' ? ' (anonymous)' : `: ${value.name}`}]`;
    if (constructor !== type && constructor !== null) base += ` ${constructor}`;
    if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
    return base;
  }

  // ---- errors ----
  function errorToString(err) {
    try { return Error.prototype.toString.call(err); } catch { return '[object Error]'; }
  }
  function getStackString(err) {
    const raw = err.stack;
    if (!raw) return errorToString(err);
    const stack = String(raw);
    // QuickJS stacks hold only the frames: add the `Name: message` header V8 has.
    return /^\s*at /.test(stack) ? `${errorToString(err)}\n${stack.replace(/\n+$/, '')}` : stack;
  }

  function improveStack(stack, constructor, name, tag) {
    let len = name.length;
    if (constructor === null || (name.endsWith('Error') && stack.startsWith(name) &&
        (stack.length === len || stack[len] === ':' || stack[len] === '\n'))) {
      let fallback = 'Error';
      if (constructor === null) {
        const start = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n\s+at)/.exec(stack) ||
          /^([a-z_A-Z0-9-]*Error)$/.exec(stack);
        fallback = (start && start[1]) || '';
        len = fallback.length;
        fallback = fallback || 'Error';
      }
      const prefix = getPrefix(constructor, tag, fallback).slice(0, -1);
      if (name !== prefix) {
        if (!prefix.includes(name)) stack = `${prefix} [${name}]${stack.slice(len)}`;
        else stack = len === 0 ? `${prefix}: ${stack}` : `${prefix}${stack.slice(len)}`;
      }
    }
    return stack;
  }

  function formatError(err, constructor, tag, ctx, keys) {
    const name = err.name != null ? String(err.name) : 'Error';
    let stack = getStackString(err);
    if (!ctx.showHidden && keys.length !== 0) {
      for (const n of ['name', 'message', 'stack']) {
        const index = keys.indexOf(n);
        if (index !== -1 && stack.includes(err[n])) keys.splice(index, 1);
      }
    }
    if ('cause' in err && !keys.includes('cause')) keys.push('cause');
    if (Array.isArray(err.errors) && !keys.includes('errors')) keys.push('errors');
    stack = improveStack(stack, constructor, name, tag);
    let pos = (err.message && stack.indexOf(err.message)) || -1;
    if (pos !== -1) pos += err.message.length;
    if (stack.indexOf('\n    at', pos) === -1) stack = `[${stack}]`;
    if (ctx.indentationLvl !== 0) stack = stack.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
    return stack;
  }

  function getBoxedBase(value, ctx, keys, constructor, tag, [, valueOf, type]) {
    if (type === 'String') keys.splice(0, value.length);
    let base = `[${type}`;
    if (type !== constructor) base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
    base += `: ${formatPrimitive(valueOf.call(value), ctx)}]`;
    if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
    return base;
  }

  // ---- objects ----
  function formatRaw(ctx, value, recurseTimes, typedArray) {
    let keys, braces, box;
    const constructor = getConstructorName(value, ctx, recurseTimes);
    let tag = value[Symbol.toStringTag];
    if (typeof tag !== 'string' ||
        (tag !== '' && (ctx.showHidden ? hasOwn : isEnum)(value, Symbol.toStringTag))) tag = '';
    let base = '';
    let formatter = () => [];
    let noIterator = true;
    let extrasType = kObjectType;
    const showHidden = ctx.showHidden;

    if (value[Symbol.iterator] || constructor === null) {
      noIterator = false;
      if (Array.isArray(value)) {
        const prefix = (constructor !== 'Array' || tag !== '')
          ? getPrefix(constructor, tag, 'Array', `(${value.length})`) : '';
        keys = getNonIndexKeys(value, showHidden);
        braces = [`${prefix}[`, ']'];
        if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
        extrasType = kArrayExtrasType;
        formatter = formatArray;
      } else if (isSet(value) || isMap(value)) {
        const map = isMap(value);
        const size = (map ? mapSize : setSize).call(value);
        const prefix = getPrefix(constructor, tag, map ? 'Map' : 'Set', `(${size})`);
        keys = getKeys(value, showHidden);
        formatter = map ? formatMap : formatSet;
        if (size === 0 && keys.length === 0) return `${prefix}{}`;
        braces = [`${prefix}{`, '}'];
      } else if (isTypedArray(value)) {
        keys = getNonIndexKeys(value, showHidden);
        const size = taLen.call(value);
        const prefix = getPrefix(constructor, tag, constructor === null ? taTag.call(value) : '', `(${size})`);
        braces = [`${prefix}[`, ']'];
        if (size === 0 && keys.length === 0 && !showHidden) return `${braces[0]}]`;
        formatter = (c, v, r) => formatTypedArray(v, size, c, r);
        extrasType = kArrayExtrasType;
      } else {
        noIterator = true;
      }
    }
    if (noIterator) {
      keys = getKeys(value, showHidden);
      braces = ['{', '}'];
      if (constructor === 'Object') {
        if (objTag(value) === '[object Arguments]') braces[0] = '[Arguments] {';
        else if (tag !== '') braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
        if (keys.length === 0) return `${braces[0]}}`;
      } else if (typeof value === 'function') {
        base = getFunctionBase(value, constructor, tag);
        if (keys.length === 0) return base;
      } else if (isRegExp(value)) {
        base = RegExp.prototype.toString.call(constructor !== null ? value : new RegExp(value));
        const prefix = getPrefix(constructor, tag, 'RegExp');
        if (prefix !== 'RegExp ') base = `${prefix}${base}`;
        if (keys.length === 0 || (recurseTimes > ctx.depth && ctx.depth !== null)) return base;
      } else if (isDate(value)) {
        const D = Date.prototype;
        base = Number.isNaN(D.getTime.call(value)) ? D.toString.call(value) : D.toISOString.call(value);
        const prefix = getPrefix(constructor, tag, 'Date');
        if (prefix !== 'Date ') base = `${prefix}${base}`;
        if (keys.length === 0) return base;
      } else if (isError(value)) {
        base = formatError(value, constructor, tag, ctx, keys);
        if (keys.length === 0) return base;
      } else if (isArrayBuffer(value) || isSharedArrayBuffer(value)) {
        const ab = isArrayBuffer(value);
        const prefix = getPrefix(constructor, tag, ab ? 'ArrayBuffer' : 'SharedArrayBuffer');
        if (typedArray === undefined) formatter = formatArrayBuffer;
        else if (keys.length === 0) return `${prefix}{ byteLength: ${formatNumber((ab ? abLen : sabLen).call(value))} }`;
        braces[0] = `${prefix}{`;
        keys.unshift('byteLength');
      } else if (isDataView(value)) {
        braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`;
        keys.unshift('byteLength', 'byteOffset', 'buffer');
      } else if (isPromise(value)) {
        braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`;
        formatter = () => ['<pending>']; // promise state is not observable from JS
      } else if (isWeakSet(value) || isWeakMap(value)) {
        braces[0] = `${getPrefix(constructor, tag, isWeakSet(value) ? 'WeakSet' : 'WeakMap')}{`;
        formatter = () => ['<items unknown>'];
      } else if ((box = boxed.find((b) => b[0](value)))) {
        base = getBoxedBase(value, ctx, keys, constructor, tag, box);
        if (keys.length === 0) return base;
      } else {
        if (keys.length === 0) return `${getCtxStyle(value, constructor, tag)}{}`;
        braces[0] = `${getCtxStyle(value, constructor, tag)}{`;
      }
    }

    if (recurseTimes > ctx.depth && ctx.depth !== null) {
      const name = getCtxStyle(value, constructor, tag).slice(0, -1);
      return constructor !== null ? `[${name}]` : name;
    }
    recurseTimes += 1;
    ctx.seen.push(value);
    ctx.currentDepth = recurseTimes;
    let output = formatter(ctx, value, recurseTimes);
    for (let i = 0; i < keys.length; i++) {
      output.push(formatProperty(ctx, value, recurseTimes, keys[i], extrasType));
    }
    const index = ctx.circular !== undefined ? ctx.circular.get(value) : undefined;
    if (index !== undefined) {
      const reference = `<ref *${index}>`;
      if (ctx.compact !== true) base = base === '' ? reference : `${reference} ${base}`;
      else braces[0] = `${reference} ${braces[0]}`;
    }
    ctx.seen.pop();
    if (ctx.sorted) {
      const comparator = ctx.sorted === true ? undefined : ctx.sorted;
      if (extrasType === kObjectType) {
        output = output.sort(comparator);
      } else if (keys.length > 1) {
        const sorted = output.slice(output.length - keys.length).sort(comparator);
        output.splice(output.length - keys.length, keys.length, ...sorted);
      }
    }
    return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
  }

  function formatArrayBuffer(ctx, value) {
    let len;
    try { len = abLen.call(value); } catch { len = sabLen.call(value); }
    const n = Math.min(Math.max(0, ctx.maxArrayLength), len);
    let bytes;
    try { bytes = new Uint8Array(value, 0, n); } catch { return ['(detached)']; }
    let str = Array.from(bytes, (b) => (b < 16 ? '0' : '') + b.toString(16)).join(' ');
    const remaining = len - n;
    if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
    return [`[Uint8Contents]: <${str}>`];
  }

  function formatArray(ctx, value, recurseTimes) {
    const len = Math.min(Math.max(0, ctx.maxArrayLength), value.length);
    const remaining = value.length - len;
    const output = [];
    for (let i = 0; i < len; i++) {
      if (!hasOwn(value, i)) return formatSpecialArray(ctx, value, recurseTimes, len, output, i);
      output.push(formatProperty(ctx, value, recurseTimes, i, kArrayType));
    }
    if (remaining > 0) output.push(remainingText(remaining));
    return output;
  }

  // Sparse arrays: runs of holes become `<N empty items>`.
  function formatSpecialArray(ctx, value, recurseTimes, maxLength, output, i) {
    const keys = O.keys(value);
    const empty = (n) => `<${n} empty item${n > 1 ? 's' : ''}>`;
    let index = i;
    for (; i < keys.length && output.length < maxLength; i++) {
      const key = keys[i];
      const tmp = +key;
      if (tmp > 2 ** 32 - 2) break;
      if (`${index}` !== key) {
        if (!numberRe.test(key)) break;
        output.push(empty(tmp - index));
        index = tmp;
        if (output.length === maxLength) break;
      }
      output.push(formatProperty(ctx, value, recurseTimes, key, kArrayType));
      index++;
    }
    const remaining = value.length - index;
    if (output.length !== maxLength) {
      if (remaining > 0) output.push(empty(remaining));
    } else if (remaining > 0) {
      output.push(remainingText(remaining));
    }
    return output;
  }

  function formatTypedArray(value, length, ctx, recurseTimes) {
    const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length);
    const output = new Array(maxLength);
    const fmt = length > 0 && typeof value[0] === 'number' ? formatNumber : formatBigInt;
    for (let i = 0; i < maxLength; ++i) output[i] = fmt(value[i]);
    if (length > maxLength) output[maxLength] = remainingText(length - maxLength);
    if (ctx.showHidden) {
      ctx.indentationLvl += 2;
      for (const key of ['BYTES_PER_ELEMENT', 'length', 'byteLength', 'byteOffset', 'buffer']) {
        output.push(`[${key}]: ${formatValue(ctx, value[key], recurseTimes, true)}`);
      }
      ctx.indentationLvl -= 2;
    }
    return output;
  }

  function formatSet(ctx, value, recurseTimes) {
    return formatCollection(ctx, setSize.call(value), Set.prototype.values.call(value),
      (v) => formatValue(ctx, v, recurseTimes));
  }
  function formatMap(ctx, value, recurseTimes) {
    return formatCollection(ctx, mapSize.call(value), Map.prototype.entries.call(value),
      ([k, v]) => `${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
  }
  function formatCollection(ctx, size, iterator, fn) {
    const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), size);
    const output = [];
    ctx.indentationLvl += 2;
    for (const entry of iterator) {
      if (output.length >= maxLength) break;
      output.push(fn(entry));
    }
    if (size > maxLength) output.push(remainingText(size - maxLength));
    ctx.indentationLvl -= 2;
    return output;
  }

  function formatProperty(ctx, value, recurseTimes, key, type) {
    let name, str;
    let extra = ' ';
    const desc = getDesc(value, key) || { value: value[key], enumerable: true };
    if (desc.value !== undefined) {
      const diff = (ctx.compact !== true || type !== kObjectType) ? 2 : 3;
      ctx.indentationLvl += diff;
      str = formatValue(ctx, desc.value, recurseTimes);
      if (diff === 3 && ctx.breakLength < getStringWidth(str)) extra = `\n${' '.repeat(ctx.indentationLvl)}`;
      ctx.indentationLvl -= diff;
    } else if (desc.get !== undefined) {
      const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
      const g = ctx.getters;
      str = `[${label}]`;
      if (g && (g === true || (g === 'get' && desc.set === undefined) || (g === 'set' && desc.set !== undefined))) {
        try {
          const tmp = desc.get.call(value);
          ctx.indentationLvl += 2;
          if (tmp === null) str = `[${label}: null]`;
          else if (typeof tmp === 'object') str = `[${label}] ${formatValue(ctx, tmp, recurseTimes)}`;
          else str = `[${label}: ${formatPrimitive(tmp, ctx)}]`;
          ctx.indentationLvl -= 2;
        } catch (err) {
          str = `[${label}: <Inspection threw (${err && err.message})>]`;
        }
      }
    } else {
      str = desc.set !== undefined ? '[Setter]' : 'undefined';
    }
    if (type === kArrayType) return str;
    if (typeof key === 'symbol' || desc.enumerable === false) {
      name = `[${String(key).replace(escReplacer, escapeFn)}]`;
    } else if (key === '__proto__') {
      name = "['__proto__']";
    } else {
      name = keyStrRe.test(key) ? key : strEscape(key);
    }
    return `${name}:${extra}${str}`;
  }

  // ---- line breaking ----
  // Lays out many short array entries in aligned columns.
  function groupArrayElements(ctx, output, value) {
    let totalLength = 0, maxLength = 0;
    let outputLength = output.length;
    if (ctx.maxArrayLength < output.length) outputLength--; // skip "... more items"
    const separatorSpace = 2; // ", "
    const dataLen = new Array(outputLength);
    for (let i = 0; i < outputLength; i++) {
      const len = getStringWidth(output[i]);
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
        (totalLength / actualMax > 5 || maxLength <= 6)) {
      const averageBias = Math.sqrt(actualMax - totalLength / output.length);
      const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
      const columns = Math.min(
        Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
        Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
        ctx.compact * 4,
        15,
      );
      if (columns <= 1) return output;
      const tmp = [];
      const maxLineLength = [];
      for (let i = 0; i < columns; i++) {
        let lineLength = 0;
        for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
        maxLineLength.push(lineLength + separatorSpace);
      }
      let padStart = true; // right-align numbers, left-align anything else
      if (value !== undefined) {
        for (let i = 0; i < output.length; i++) {
          if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') { padStart = false; break; }
        }
      }
      for (let i = 0; i < outputLength; i += columns) {
        const max = Math.min(i + columns, outputLength);
        let str = '';
        let j = i;
        for (; j < max - 1; j++) {
          const padding = maxLineLength[j - i] + output[j].length - dataLen[j];
          str += padStart ? `${output[j]}, `.padStart(padding, ' ') : `${output[j]}, `.padEnd(padding, ' ');
        }
        if (padStart) {
          str += output[j].padStart(maxLineLength[j - i] + output[j].length - dataLen[j] - separatorSpace, ' ');
        } else {
          str += output[j];
        }
        tmp.push(str);
      }
      if (ctx.maxArrayLength < output.length) tmp.push(output[outputLength]);
      output = tmp;
    }
    return output;
  }

  function isBelowBreakLength(ctx, output, start, base) {
    let totalLength = output.length + start;
    if (totalLength + output.length > ctx.breakLength) return false;
    for (let i = 0; i < output.length; i++) {
      totalLength += output[i].length;
      if (totalLength > ctx.breakLength) return false;
    }
    return base === '' || !base.includes('\n');
  }

  function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
    if (ctx.compact !== true) {
      if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
        const entries = output.length;
        if (extrasType === kArrayExtrasType && entries > 6) output = groupArrayElements(ctx, output, value);
        // Combine up to `compact` inner levels on one line if it fits.
        if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
          const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
          if (isBelowBreakLength(ctx, output, start, base)) {
            const joined = output.join(', ');
            if (!joined.includes('\n')) return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
          }
        }
      }
      const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
      return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${
        output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
    }
    if (isBelowBreakLength(ctx, output, 0, base)) {
      return `${braces[0]}${base ? ` ${base}` : ''} ${output.join(', ')} ${braces[1]}`;
    }
    const indentation = ' '.repeat(ctx.indentationLvl);
    const ln = base === '' && braces[0].length === 1 ? ' ' : `${base ? ` ${base}` : ''}\n${indentation}  `;
    return `${braces[0]}${ln}${output.join(`,\n${indentation}  `)} ${braces[1]}`;
  }

  // ---- format ----
  function hasBuiltInToString(value) {
    if (typeof value.toString !== 'function') return true;
    if (hasOwn(value, 'toString')) return false;
    let pointer = value;
    do { pointer = getProto(pointer); } while (!hasOwn(pointer, 'toString'));
    const d = getDesc(pointer, 'constructor');
    return d !== undefined && typeof d.value === 'function' && builtIns().has(d.value.name);
  }

  let circularMessage;
  const firstLine = (e) => String(e && e.message).split('\n', 1)[0];
  function tryStringify(arg) {
    try {
      return JSON.stringify(arg);
    } catch (err) {
      if (!circularMessage) {
        try { const a = {}; a.a = a; JSON.stringify(a); } catch (e) { circularMessage = firstLine(e); }
      }
      if (err && err.name === 'TypeError' && firstLine(err) === circularMessage) return '[Circular]';
      throw err;
    }
  }

  const toNum = (n, conv) => (typeof n === 'bigint' ? formatBigInt(n)
    : typeof n === 'symbol' ? 'NaN' : formatNumber(conv(n)));

  function formatWithOptionsInternal(inspectOptions, args) {
    const first = args[0];
    let a = 0, str = '', join = '';
    if (typeof first === 'string') {
      if (args.length === 1) return first;
      let tempStr, lastPos = 0;
      for (let i = 0; i < first.length - 1; i++) {
        if (first.charCodeAt(i) !== 37) continue; // '%'
        const nextChar = first.charCodeAt(++i);
        if (a + 1 !== args.length) {
          switch (nextChar) {
            case 115: { // 's'
              const arg = args[++a];
              if (typeof arg === 'number') tempStr = formatNumber(arg);
              else if (typeof arg === 'bigint') tempStr = formatBigInt(arg);
              else if (typeof arg !== 'object' || arg === null || !hasBuiltInToString(arg)) tempStr = String(arg);
              else tempStr = inspect(arg, { ...inspectOptions, depth: 0, colors: false, compact: 3 });
              break;
            }
            case 106: tempStr = tryStringify(args[++a]); break; // 'j'
            case 100: tempStr = toNum(args[++a], Number); break; // 'd'
            case 79: tempStr = inspect(args[++a], inspectOptions); break; // 'O'
            case 111: // 'o'
              tempStr = inspect(args[++a], { ...inspectOptions, showHidden: true, showProxy: true, depth: 4 });
              break;
            case 105: tempStr = toNum(args[++a], Number.parseInt); break; // 'i'
            case 102: { // 'f'
              const n = args[++a];
              tempStr = typeof n === 'symbol' ? 'NaN' : formatNumber(Number.parseFloat(n));
              break;
            }
            case 99: a += 1; tempStr = ''; break; // 'c'
            case 37: str += first.slice(lastPos, i); lastPos = i + 1; continue; // '%%'
            default: continue;
          }
          if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
          str += tempStr;
          lastPos = i + 1;
        } else if (nextChar === 37) {
          str += first.slice(lastPos, i);
          lastPos = i + 1;
        }
      }
      if (lastPos !== 0) {
        a++;
        join = ' ';
        if (lastPos < first.length) str += first.slice(lastPos);
      }
    }
    for (; a < args.length; a++) {
      const value = args[a];
      str += join + (typeof value !== 'string' ? inspect(value, inspectOptions) : value);
      join = ' ';
    }
    return str;
  }

  function format(...args) {
    return formatWithOptionsInternal(undefined, args);
  }

  function formatWithOptions(inspectOptions, ...args) {
    if (inspectOptions === null || typeof inspectOptions !== 'object') {
      throw new TypeError('The "inspectOptions" argument must be of type object');
    }
    return formatWithOptionsInternal(inspectOptions, args);
  }

  return { format, formatWithOptions, inspect };
})
