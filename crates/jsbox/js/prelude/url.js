// URL and URLSearchParams (WHATWG URL), with Node 20's API and errors.
// Loaded the first time a script reads either global or requires 'url'.
// Parsing, setters, IDNA and form-urlencoding are done in Rust
// (src/builtins/url.rs, the `url` crate); a URL keeps its components as the
// binding returned them, and every setter re-parses its href there.
(function (host, core) {
  'use strict';
  const binding = core.binding('url');
  const { codedError } = core;
  const { reflectApply, defineProperty } = core.primordials;
  const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
  // The longest string the binding takes (src/builtins/url.rs MAX_INPUT).
  const MAX_INPUT = 32 * 1024 * 1024;

  // Indices of the components the binding returns.
  const HREF = 0, ORIGIN = 1, PROTOCOL = 2, USERNAME = 3, PASSWORD = 4, HOST = 5,
    HOSTNAME = 6, PORT = 7, PATHNAME = 8, SEARCH = 9, HASH = 10, AUTHORITY = 11;

  const toWellFormed = String.prototype.toWellFormed;
  const isWellFormed = String.prototype.isWellFormed;
  const loneSurrogate = /[\ud800-\udfff]/;
  function toUSVString(value) {
    if (typeof value === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
    const string = `${value}`;
    if (typeof isWellFormed === 'function' ? reflectApply(isWellFormed, string, [])
      : !loneSurrogate.test(string)) return string;
    if (typeof toWellFormed === 'function') return reflectApply(toWellFormed, string, []);
    return string.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  }

  function invalidUrl(input, base) {
    const err = codedError(TypeError, 'ERR_INVALID_URL', 'Invalid URL');
    err.input = input;
    if (base !== undefined) err.base = base;
    return err;
  }

  function invalidThis(type) {
    return codedError(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${type}`);
  }

  function missingArgs(...names) {
    let message = 'The ';
    if (names.length === 1) message += `"${names[0]}" argument`;
    else message += `"${names[0]}" and "${names[1]}" arguments`;
    return codedError(TypeError, 'ERR_MISSING_ARGS', `${message} must be specified`);
  }

  // The binding's components for input (against base), or null.
  function parse(input, base) {
    if (input.length > MAX_INPUT || (base !== undefined && base.length > MAX_INPUT)) return null;
    return binding.parse(input, base);
  }

  function parseParams(query) {
    if (query.length > MAX_INPUT) throw codedError(RangeError, 'ERR_OUT_OF_RANGE', 'The query string is too long');
    return binding.formParse(query);
  }

  let urlComponents, urlSetSearch, paramsList, paramsSetList, paramsLink;

  class URL {
    #c;
    #params = null;

    constructor(input, base = undefined) {
      if (arguments.length === 0) throw missingArgs('url');
      input = toUSVString(input);
      if (base !== undefined) base = toUSVString(base);
      const c = parse(input, base);
      if (c === null || c === undefined) throw invalidUrl(input, base);
      this.#c = c;
    }

    static {
      urlComponents = (url) => url.#c;
      urlSetSearch = (url, search) => {
        const c = binding.set(url.#c[HREF], SEARCH, search);
        if (c) url.#c = c;
      };
    }

    static parse(input, base = undefined) {
      if (arguments.length === 0) throw missingArgs('url');
      try {
        return new URL(input, base);
      } catch (err) {
        if (err && err.code === 'ERR_INVALID_URL') return null;
        throw err;
      }
    }

    static canParse(input, base = undefined) {
      if (arguments.length === 0) throw missingArgs('url');
      input = toUSVString(input);
      if (base !== undefined) base = toUSVString(base);
      if (input.length > MAX_INPUT || (base !== undefined && base.length > MAX_INPUT)) return false;
      return binding.canParse(input, base);
    }

    #set(which, value) {
      value = toUSVString(value);
      if (value.length > MAX_INPUT) return;
      const c = binding.set(this.#c[HREF], which, value);
      if (!c) return;
      this.#c = c;
      if (this.#params !== null && (which === SEARCH || which === HREF)) {
        paramsSetList(this.#params, c[SEARCH] ? parseParams(c[SEARCH].slice(1)) : []);
      }
    }

    toString() { return this.#c[HREF]; }

    get href() { return this.#c[HREF]; }
    set href(value) {
      value = toUSVString(value);
      const c = parse(value);
      if (c === null || c === undefined) throw invalidUrl(value);
      this.#c = c;
      if (this.#params !== null) {
        paramsSetList(this.#params, c[SEARCH] ? parseParams(c[SEARCH].slice(1)) : []);
      }
    }
    get origin() { return this.#c[ORIGIN]; }
    get protocol() { return this.#c[PROTOCOL]; }
    set protocol(value) { this.#set(PROTOCOL, value); }
    get username() { return this.#c[USERNAME]; }
    set username(value) { this.#set(USERNAME, value); }
    get password() { return this.#c[PASSWORD]; }
    set password(value) { this.#set(PASSWORD, value); }
    get host() { return this.#c[HOST]; }
    set host(value) { this.#set(HOST, value); }
    get hostname() { return this.#c[HOSTNAME]; }
    set hostname(value) { this.#set(HOSTNAME, value); }
    get port() { return this.#c[PORT]; }
    set port(value) { this.#set(PORT, value); }
    get pathname() { return this.#c[PATHNAME]; }
    set pathname(value) { this.#set(PATHNAME, value); }
    get search() { return this.#c[SEARCH]; }
    set search(value) { this.#set(SEARCH, value); }
    get searchParams() {
      if (this.#params === null) {
        const params = new URLSearchParams(this.#c[SEARCH]);
        paramsLink(params, this);
        this.#params = params;
      }
      return this.#params;
    }
    get hash() { return this.#c[HASH]; }
    set hash(value) { this.#set(HASH, value); }

    toJSON() { return this.#c[HREF]; }

    [inspectSymbol](depth, opts) {
      if (typeof depth === 'number' && depth < 0) return this;
      const inspect = core.util.inspect;
      const obj = {
        href: this.href,
        origin: this.origin,
        protocol: this.protocol,
        username: this.username,
        password: this.password,
        host: this.host,
        hostname: this.hostname,
        port: this.port,
        pathname: this.pathname,
        search: this.search,
        searchParams: this.searchParams,
        hash: this.hash,
      };
      const name = (this.constructor && typeof this.constructor.name === 'string' &&
        this.constructor.name) || 'URL';
      return `${name} ${inspect(obj, { ...opts, depth })}`;
    }
  }

  for (const key of ['toString', 'href', 'origin', 'protocol', 'username', 'password', 'host',
    'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash', 'toJSON']) {
    const desc = Object.getOwnPropertyDescriptor(URL.prototype, key);
    desc.enumerable = true;
    defineProperty(URL.prototype, key, desc);
  }
  defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
  for (const key of ['parse', 'canParse']) {
    const desc = Object.getOwnPropertyDescriptor(URL, key);
    desc.enumerable = true;
    defineProperty(URL, key, desc);
  }

  const kKinds = { keys: 0, values: 1, entries: 2 };

  class URLSearchParams {
    // name, value, name, value...
    #list = [];
    #url = null;

    constructor(init = undefined) {
      if (init === undefined || init === null) {
        // empty
      } else if (typeof init === 'object' || typeof init === 'function') {
        const method = init[Symbol.iterator];
        if (method === this[Symbol.iterator] && #list in init) {
          this.#list = init.#list.slice();
        } else if (method !== undefined && method !== null) {
          if (typeof method !== 'function') {
            throw codedError(TypeError, 'ERR_ARG_NOT_ITERABLE', 'Query pairs must be iterable');
          }
          for (const pair of init) {
            if ((typeof pair !== 'object' && typeof pair !== 'function') || pair === null ||
                typeof pair[Symbol.iterator] !== 'function') {
              throw codedError(TypeError, 'ERR_INVALID_TUPLE',
                'Each query pair must be an iterable [name, value] tuple');
            }
            const items = [...pair];
            if (items.length !== 2) {
              throw codedError(TypeError, 'ERR_INVALID_TUPLE',
                'Each query pair must be an iterable [name, value] tuple');
            }
            this.#list.push(toUSVString(items[0]), toUSVString(items[1]));
          }
        } else {
          const seen = new Map();
          for (const key of Reflect.ownKeys(init)) {
            if (typeof key !== 'string') continue;
            const desc = Reflect.getOwnPropertyDescriptor(init, key);
            if (desc === undefined || !desc.enumerable) continue;
            const name = toUSVString(key);
            const value = toUSVString(init[key]);
            const at = seen.get(name);
            if (at === undefined) {
              seen.set(name, this.#list.length);
              this.#list.push(name, value);
            } else {
              this.#list[at + 1] = value;
            }
          }
        }
      } else {
        init = toUSVString(init);
        if (init[0] === '?') init = init.slice(1);
        if (init) this.#list = parseParams(init);
      }
    }

    static {
      paramsList = (params) => params.#list;
      paramsSetList = (params, list) => { params.#list = list; };
      paramsLink = (params, url) => { params.#url = url; };
    }

    static #check(self) {
      if (typeof self !== 'object' || self === null || !(#list in self)) {
        throw invalidThis('URLSearchParams');
      }
    }

    #update() {
      if (this.#url === null) return;
      urlSetSearch(this.#url, this.toString());
    }

    get size() {
      URLSearchParams.#check(this);
      return this.#list.length / 2;
    }

    append(name, value) {
      URLSearchParams.#check(this);
      if (arguments.length < 2) throw missingArgs('name', 'value');
      this.#list.push(toUSVString(name), toUSVString(value));
      this.#update();
    }

    delete(name, value = undefined) {
      URLSearchParams.#check(this);
      if (arguments.length < 1) throw missingArgs('name');
      const list = this.#list;
      name = toUSVString(name);
      if (value !== undefined) {
        value = toUSVString(value);
        for (let i = 0; i < list.length;) {
          if (list[i] === name && list[i + 1] === value) list.splice(i, 2);
          else i += 2;
        }
      } else {
        for (let i = 0; i < list.length;) {
          if (list[i] === name) list.splice(i, 2);
          else i += 2;
        }
      }
      this.#update();
    }

    get(name) {
      URLSearchParams.#check(this);
      if (arguments.length < 1) throw missingArgs('name');
      const list = this.#list;
      name = toUSVString(name);
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name) return list[i + 1];
      }
      return null;
    }

    getAll(name) {
      URLSearchParams.#check(this);
      if (arguments.length < 1) throw missingArgs('name');
      const list = this.#list;
      const values = [];
      name = toUSVString(name);
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name) values.push(list[i + 1]);
      }
      return values;
    }

    has(name, value = undefined) {
      URLSearchParams.#check(this);
      if (arguments.length < 1) throw missingArgs('name');
      const list = this.#list;
      name = toUSVString(name);
      if (value !== undefined) value = toUSVString(value);
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name && (value === undefined || list[i + 1] === value)) return true;
      }
      return false;
    }

    set(name, value) {
      URLSearchParams.#check(this);
      if (arguments.length < 2) throw missingArgs('name', 'value');
      const list = this.#list;
      name = toUSVString(name);
      value = toUSVString(value);
      let found = false;
      for (let i = 0; i < list.length;) {
        if (list[i] === name) {
          if (!found) {
            list[i + 1] = value;
            found = true;
            i += 2;
          } else {
            list.splice(i, 2);
          }
        } else {
          i += 2;
        }
      }
      if (!found) list.push(name, value);
      this.#update();
    }

    sort() {
      URLSearchParams.#check(this);
      const list = this.#list;
      const pairs = [];
      for (let i = 0; i < list.length; i += 2) pairs.push([list[i], list[i + 1]]);
      // Stable, by UTF-16 code units (Array.prototype.sort is stable).
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const sorted = [];
      for (const [name, value] of pairs) sorted.push(name, value);
      this.#list = sorted;
      this.#update();
    }

    entries() {
      URLSearchParams.#check(this);
      return makeIterator(this, kKinds.entries);
    }

    forEach(callback, thisArg = undefined) {
      URLSearchParams.#check(this);
      if (typeof callback !== 'function') {
        throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
          `The "callback" argument must be of type function. ${core.describe(callback)}`);
      }
      let list = this.#list;
      for (let i = 0; i < list.length; i += 2) {
        reflectApply(callback, thisArg, [list[i + 1], list[i], this]);
        list = this.#list;
      }
    }

    keys() {
      URLSearchParams.#check(this);
      return makeIterator(this, kKinds.keys);
    }

    values() {
      URLSearchParams.#check(this);
      return makeIterator(this, kKinds.values);
    }

    toString() {
      URLSearchParams.#check(this);
      const list = this.#list;
      if (list.length === 0) return '';
      let total = 0;
      for (let i = 0; i < list.length; i++) total += list[i].length;
      if (total > MAX_INPUT) {
        throw codedError(RangeError, 'ERR_OUT_OF_RANGE', 'The query string is too long');
      }
      return binding.formSerialize(list);
    }

    [inspectSymbol](depth, opts) {
      if (typeof depth === 'number' && depth < 0) return '[Object]';
      const inspect = core.util.inspect;
      const inner = { ...opts };
      if (depth !== null && depth !== undefined) inner.depth = depth - 1;
      const list = this.#list;
      const output = [];
      for (let i = 0; i < list.length; i += 2) {
        output.push(`${inspect(list[i], inner)} => ${inspect(list[i + 1], inner)}`);
      }
      const name = (this.constructor && this.constructor.name) || 'URLSearchParams';
      const length = output.reduce((total, item) => total + item.length + 2, -2);
      const breakLength = opts && typeof opts.breakLength === 'number' ? opts.breakLength : 80;
      if (length > breakLength) return `${name} {\n  ${output.join(',\n  ')} }`;
      if (output.length) return `${name} { ${output.join(', ')} }`;
      return `${name} {}`;
    }
  }

  for (const key of ['append', 'delete', 'get', 'getAll', 'has', 'set', 'size', 'sort',
    'entries', 'forEach', 'keys', 'values', 'toString']) {
    const desc = Object.getOwnPropertyDescriptor(URLSearchParams.prototype, key);
    desc.enumerable = true;
    defineProperty(URLSearchParams.prototype, key, desc);
  }
  defineProperty(URLSearchParams.prototype, Symbol.iterator, {
    value: URLSearchParams.prototype.entries, writable: true, configurable: true,
  });
  defineProperty(URLSearchParams.prototype, Symbol.toStringTag, {
    value: 'URLSearchParams', configurable: true,
  });

  // URLSearchParams Iterator: live over the list, as in Node.
  const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
  const iteratorState = new WeakMap();
  const ParamsIteratorPrototype = Object.create(IteratorPrototype);
  function pairAt(list, index, kind) {
    if (kind === kKinds.keys) return list[index];
    if (kind === kKinds.values) return list[index + 1];
    return [list[index], list[index + 1]];
  }
  defineProperty(ParamsIteratorPrototype, 'next', {
    value: function next() {
      const state = typeof this === 'object' && this !== null ? iteratorState.get(this) : undefined;
      if (state === undefined) throw invalidThis('URLSearchParamsIterator');
      const list = paramsList(state.target);
      if (state.index >= list.length) return { value: undefined, done: true };
      const value = pairAt(list, state.index, state.kind);
      state.index += 2;
      return { value, done: false };
    },
    writable: true, configurable: true, enumerable: true,
  });
  defineProperty(ParamsIteratorPrototype, inspectSymbol, {
    value: function (depth, opts) {
      const state = iteratorState.get(this);
      if (state === undefined) throw invalidThis('URLSearchParamsIterator');
      if (typeof depth === 'number' && depth < 0) return '[Object]';
      const inspect = core.util.inspect;
      const inner = { ...opts };
      if (depth !== null && depth !== undefined) inner.depth = depth - 1;
      const list = paramsList(state.target);
      const output = [];
      for (let i = state.index; i < list.length; i += 2) {
        output.push(inspect(pairAt(list, i, state.kind), inner));
      }
      const length = output.reduce((total, item) => total + item.length + 2, -2);
      const breakLength = opts && typeof opts.breakLength === 'number' ? opts.breakLength : 80;
      if (length > breakLength) return `URLSearchParams Iterator {\n  ${output.join(',\n  ')} }`;
      if (output.length) return `URLSearchParams Iterator { ${output.join(', ')} }`;
      return 'URLSearchParams Iterator {  }';
    },
    writable: true, configurable: true,
  });
  defineProperty(ParamsIteratorPrototype, Symbol.toStringTag, {
    value: 'URLSearchParams Iterator', configurable: true,
  });
  function makeIterator(target, kind) {
    const iterator = Object.create(ParamsIteratorPrototype);
    iteratorState.set(iterator, { target, kind, index: 0 });
    return iterator;
  }

  return {
    URL,
    URLSearchParams,
    binding,
    components: urlComponents,
    toUSVString,
    invalidUrl,
    missingArgs,
    MAX_INPUT,
    AUTHORITY,
  };
});
