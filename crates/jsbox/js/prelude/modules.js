// Node's CommonJS module system, loaded on first use of `require`.
(function (host, core) {
  'use strict';
  const { util, emit, codedError, describe } = core;
  // Captured by the core before any script ran: calls that hand over internal
  // objects never go through functions a script may have replaced.
  const {
    reflectApply, reflectConstruct, objectKeys, objectCreate, getPrototypeOf,
    getOwnPropertyNames, defineProperty, setPrototypeOf, ObjectPrototype,
  } = core.primordials;

  const cache = Object.create(null); // require.cache: resolved path -> Module
  // Built-in and native modules loaded: name -> module record. The prelude
  // core's, which the global `require` also fills with host modules.
  const natives = core.natives;
  let mainModule;

  function dirname(path) {
    const i = path.lastIndexOf('/');
    return i <= 0 ? '/' : path.slice(0, i);
  }

  // `path` made absolute against the base directory (what Node's
  // path.resolve does against the working directory), without `.`, `..`,
  // empty segments or a trailing slash.
  function absolutePath(path) {
    if (!path.startsWith('/')) path = host.baseDir + '/' + path;
    const parts = [];
    for (const part of path.split('/')) {
      if (part === '..') parts.pop();
      else if (part !== '' && part !== '.') parts.push(part);
    }
    return '/' + parts.join('/');
  }

  function nodeModulePaths(dir) {
    const paths = [];
    for (let d = dir; ; d = dirname(d)) {
      if (!d.endsWith('/node_modules')) paths.push((d === '/' ? '' : d) + '/node_modules');
      if (d === '/') break;
    }
    return paths;
  }

  function Module(id, filename, parent) {
    this.id = id;
    this.path = dirname(filename);
    this.exports = {};
    this.filename = filename;
    this.loaded = false;
    this.children = [];
    this.paths = nodeModulePaths(this.path);
    Object.defineProperty(this, 'parent', { value: parent, writable: true, configurable: true });
    addChild(parent, this, false);
  }

  // module.require(id): a require from that module (Node's
  // Module.prototype.require, which is anonymous too).
  Module.prototype.require = function (id) {
    return requireFrom(this, id);
  };

  // Records `child` among the children of `parent`, once when `scan` (Node's
  // updateChildren, which skips a parent without a children list, as
  // module.require called on a plain object has).
  function addChild(parent, child, scan) {
    const children = parent ? parent.children : undefined;
    if (children && !(scan && children.includes(child))) children.push(child);
  }

  function validateId(id) {
    if (typeof id !== 'string') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
        'The "id" argument must be of type string. ' + describe(id));
    }
    if (id === '') {
      throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
        "The argument 'id' must be a non-empty string. Received ''");
    }
  }

  function requireStack(parent) {
    const stack = [];
    for (let m = parent; m; m = m.parent) stack.push(m.filename || m.id);
    return stack;
  }

  function notFound(parent, request) {
    const stack = requireStack(parent);
    let message = "Cannot find module '" + request + "'";
    if (stack.length) message += '\nRequire stack:\n- ' + stack.join('\n- ');
    const err = codedError(Error, 'MODULE_NOT_FOUND', message);
    err.requireStack = stack;
    return err;
  }

  // The file `parent` requires from: its own (Node names it in some errors),
  // or, for a module without one (module.require called on another object),
  // the base directory's `[eval]`, as Node takes its working directory.
  function parentFile(parent) {
    const filename = parent ? parent.filename : undefined;
    return typeof filename === 'string' && filename.startsWith('/') ? filename : baseModule.filename;
  }

  // The file name a module in `dir` would have, for resolving from there.
  function fileIn(dir) {
    return (dir === '/' ? '' : dir) + '/[eval]';
  }

  // Resolves `request` for `parent`; returns ['native', name] or ['file', path].
  function resolveFrom(parent, request) {
    const found = host.resolve(request, parentFile(parent));
    if (found[0] === 'notfound') throw notFound(parent, request);
    if (found[0] === 'unknown_builtin') {
      throw codedError(Error, 'ERR_UNKNOWN_BUILTIN_MODULE', 'No such built-in module: ' + request);
    }
    return found;
  }

  // Whether `request` names a built-in module (Node's normalizeRequirableId).
  function isBuiltinRequest(request) {
    return host.isNative(request.startsWith('node:') ? request.slice(5) : request);
  }

  // Node's isRelative for require.resolve's `paths`.
  function isRelative(request) {
    return request === '.' || request === '..' || request.startsWith('./') || request.startsWith('../');
  }

  // require.resolve(request, options): Node's Module._resolveFilename. With
  // `options.paths`, the request is resolved as if from a module in each of
  // those folders in turn (relative ones taken from the base directory), the
  // first match winning: a relative request relative to the folder, a bare
  // one through its node_modules chain. Node looks up `#imports` and a
  // package's name for itself from the requiring module even then; jsbox does
  // both from each folder. Node's global folders ($HOME/.node_modules, ...)
  // are searched by neither require nor require.resolve here.
  function resolveFilename(parent, request, options) {
    if (typeof request !== 'string') throw errors().invalidArgType('request', 'string', request);
    if (isBuiltinRequest(request)) {
      resolveFrom(parent, request); // the policy's say
      return request;
    }
    let dirs;
    if (typeof options === 'object' && options !== null) {
      if (Array.isArray(options.paths)) {
        if (isRelative(request)) {
          // Each folder is checked when its turn comes, as in Node.
          const paths = options.paths;
          for (let i = 0; i < paths.length; i++) {
            const path = paths[i];
            if (typeof path !== 'string') throw errors().invalidArgType('paths', 'array of strings', paths);
            const found = host.resolve(request, fileIn(absolutePath(path)));
            if (found[0] === 'file') return found[1];
          }
          throw notFound(parent, request);
        } else {
          // Node looks a request like `..x` up in its working directory.
          const fromBase = request[0] === '.' &&
            (request.length === 1 || request[1] === '.' || request[1] === '/');
          dirs = [];
          for (let i = 0; i < options.paths.length; i++) {
            const path = options.paths[i];
            if (typeof path !== 'string') throw errors().invalidArgType('paths[0]', 'string', path);
            const dir = fromBase ? host.baseDir : absolutePath(path);
            if (!dirs.includes(dir)) dirs.push(dir);
          }
          // An absolute path is its own answer, whatever the folders.
          if (request.startsWith('/')) dirs = undefined;
        }
      } else if (options.paths !== undefined) {
        throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
          "The property 'options.paths' is invalid. Received " + util.inspect(options.paths));
      }
    }
    if (dirs === undefined) {
      const found = host.resolve(request, parentFile(parent));
      if (found[0] === 'file') return found[1];
      throw notFound(parent, request); // `node:` and no such module included
    }
    for (let i = 0; i < dirs.length; i++) {
      const found = host.resolve(request, fileIn(dirs[i]));
      if (found[0] === 'file') return found[1];
    }
    throw notFound(parent, request);
  }

  // require.resolve.paths(request): Node's Module._resolveLookupPaths. After
  // the node_modules chain Node lists its global folders ($HOME/.node_modules,
  // $HOME/.node_libraries and <node's prefix>/lib/node), which jsbox neither
  // searches nor knows (no Node installation, maybe no environment): they
  // are left out.
  function lookupPaths(parent, request) {
    if (typeof request !== 'string') throw errors().invalidArgType('request', 'string', request);
    if (isBuiltinRequest(request)) return null;
    const dir = dirname(parentFile(parent));
    if (request[0] !== '.' || (request.length > 1 && request[1] !== '.' && request[1] !== '/')) {
      return nodeModulePaths(dir);
    }
    return [dir];
  }

  function errors() {
    return core.load('errors');
  }

  // Built-in and native modules: loaded once per runtime, outside require.cache.
  function loadNative(name) {
    const existing = natives[name];
    if (existing !== undefined) return existing.exports;
    const module = { id: name, exports: {}, loaded: false };
    natives[name] = module;
    try {
      const script = host.builtinScript(name);
      if (script !== undefined) {
        reflectApply(script, module.exports, [module.exports, builtinRequire, module, internal]);
      } else {
        host.loadNative(name, module.exports);
      }
    } catch (err) {
      delete natives[name];
      throw err;
    }
    if (host.logging()) logExports(name, module);
    module.loaded = true;
    return module.exports;
  }

  // With call logging on, every exported function of a native or built-in module
  // (and of a plain object it exports, such as fs.promises) logs its calls.
  // Classes are left alone so `new` and `extends` keep working.
  function isClassLike(fn) {
    const proto = fn.prototype;
    return proto !== undefined && getOwnPropertyNames(proto).length > 1;
  }

  function logged(moduleName, name, fn) {
    const wrapper = function (...args) {
      const started = host.now();
      let result;
      try {
        result = new.target ? reflectConstruct(fn, args, new.target) : reflectApply(fn, this, args);
      } catch (err) {
        const text = err instanceof Error ? err.name + ': ' + err.message : String(err);
        host.logCall(moduleName, name, args, undefined, text, started);
        throw err;
      }
      host.logCall(moduleName, name, args, result, undefined, started);
      return result;
    };
    defineProperty(wrapper, 'name', { value: fn.name });
    defineProperty(wrapper, 'length', { value: fn.length });
    return wrapper;
  }

  // Objects already copied, as [original, copy] pairs in a list without a
  // prototype: the unwrapped exports never pass through a method a script
  // could replace (a replaced Map.prototype.set would receive them and let
  // calls bypass the log).
  function copyOf(copies, object) {
    for (let i = 0; i < copies.length; i++) if (copies[i][0] === object) return copies[i][1];
    return undefined;
  }

  // A logging copy of `object`: the module's own code keeps calling its
  // unwrapped functions, so only calls made by scripts are logged.
  function wrapObject(moduleName, prefix, object, depth, copies) {
    const copy = objectCreate(getPrototypeOf(object));
    copies[copies.length] = [object, copy];
    const keys = objectKeys(object);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const value = object[key];
      const copied = copyOf(copies, value);
      if (copied !== undefined) {
        copy[key] = copied;
      } else if (typeof value === 'function' && !isClassLike(value)) {
        copy[key] = logged(moduleName, prefix + key, value);
      } else if (depth > 0 && value !== null && typeof value === 'object' &&
                 getPrototypeOf(value) === ObjectPrototype) {
        copy[key] = wrapObject(moduleName, prefix + key + '.', value, depth - 1, copies);
      } else {
        copy[key] = value;
      }
    }
    return copy;
  }

  function logExports(moduleName, module) {
    const exports = module.exports;
    if (typeof exports === 'function') {
      if (!isClassLike(exports)) module.exports = logged(moduleName, moduleName, exports);
      return;
    }
    if (exports !== null && typeof exports === 'object' && exports !== internal.process) {
      module.exports = wrapObject(moduleName, '', exports, 1, setPrototypeOf([], null));
    }
  }

  function stripPrelude(source) {
    if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
    if (source.startsWith('#!')) {
      const eol = source.indexOf('\n');
      source = eol === -1 ? '' : source.slice(eol);
    }
    return source;
  }

  // `filename` is the path resolve() returned, never read back from the
  // Module, whose fields scripts can rewrite.
  function compileModule(module, filename) {
    if (host.format(filename) === 'module') {
      // require() of an ES module gives its namespace (as Node 20.19+ does)
      // when the graph has no top-level await, or the export named
      // 'module.exports' when the module has one.
      const namespace = host.requireModule(filename);
      module.exports = 'module.exports' in namespace ? namespace['module.exports'] : namespace;
      return;
    }
    const source = stripPrelude(host.read(filename));
    if (filename.endsWith('.json')) {
      try {
        module.exports = JSON.parse(source);
      } catch (err) {
        err.message = filename + ': ' + err.message;
        throw err;
      }
      return;
    }
    // Rust wraps the source in the CommonJS function, keeping the file's own
    // lines and columns.
    const wrapper = host.compile(source, filename);
    const exports = module.exports;
    reflectApply(wrapper, exports, [exports, makeRequire(module), module, filename, dirname(filename)]);
  }

  // Loads (or returns from cache) the module at `filename`. A module whose body
  // throws is removed from the cache, like Node does.
  function loadFile(filename, parent, isMain) {
    const cached = cache[filename];
    if (cached !== undefined) {
      addChild(parent, cached, true);
      return cached;
    }
    const module = new Module(isMain ? '.' : filename, filename, parent);
    if (isMain) mainModule = module;
    cache[filename] = module;
    let ok = false;
    try {
      compileModule(module, filename);
      ok = true;
    } finally {
      if (!ok) {
        delete cache[filename];
        const children = parent ? parent.children : undefined;
        if (children) {
          const i = children.indexOf(module);
          if (i !== -1) children.splice(i, 1);
        }
      }
    }
    module.loaded = true;
    return module;
  }

  function requireFrom(parent, request) {
    validateId(request);
    const found = resolveFrom(parent, request);
    if (found[0] === 'native') return loadNative(found[1]);
    return loadFile(found[1], parent, false).exports;
  }

  function makeRequire(module) {
    const require = function require(id) {
      return requireFrom(module, id);
    };
    require.resolve = function resolve(request, options) {
      return resolveFilename(module, request, options);
    };
    require.resolve.paths = function paths(request) {
      return lookupPaths(module, request);
    };
    require.cache = cache;
    require.extensions = extensions;
    Object.defineProperty(require, 'main', {
      get() { return mainModule; }, enumerable: true, configurable: true,
    });
    return require;
  }

  // require.extensions (Node's deprecated Module._extensions): the file
  // types require loads, for code that reads its keys. Handlers put here are
  // not used by jsbox's loader; calling one of these throws.
  const extensions = Object.create(null);
  for (const ext of ['.js', '.json', '.node']) {
    extensions[ext] = function (module, filename) {
      throw codedError(Error, 'ERR_NOT_SUPPORTED',
        `require.extensions['${ext}'] cannot be called in jsbox (loading ${filename})`);
    };
  }

  // What built-in modules get besides require: shared helpers and their native
  // bindings. Scripts never see this object; it has no prototype, so no getter
  // a script puts on Object.prototype ever receives it.
  const internal = {
    __proto__: null,
    get format() { return util.format; },
    get formatWithOptions() { return util.formatWithOptions; },
    get inspect() { return util.inspect; },
    describe,
    cwd: () => host.cwd(),
    warn: (message) => emit(true, '(jsbox) ' + message),
    binding: (name) => core.binding(name),
    get process() { return core.load('process').process; },
    get processChunk() { return core.load('process'); },
    get stdio() { return core.load('stdio'); },
    get errors() { return core.load('errors'); },
    get buffer() { return core.load('buffer'); },
    get crypto() { return core.load('crypto'); },
    get encoding() { return core.load('encoding'); },
    get url() { return core.load('url'); },
    get events() { return core.load('events'); },
    get timers() { return core.load('timers').globals; },
    createRequire,
    builtinNames: () => host.builtinNames(),
    extensions,
    moduleCache: cache,
  };

  // module.createRequire(filename | file URL): a require as if from a module
  // at that path.
  function createRequire(filename) {
    if (typeof filename === 'object' && filename !== null && typeof filename.href === 'string') {
      filename = filename.href;
    }
    if (typeof filename === 'string' && filename.startsWith('file://')) {
      filename = fileURLToPath(filename);
    }
    if (typeof filename !== 'string' || !filename.startsWith('/')) {
      throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
        "The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received " +
        util.inspect(filename));
    }
    const module = new Module(filename, filename, undefined);
    module.filename = filename;
    module.loaded = true;
    return makeRequire(module);
  }

  // file:///a%20b/c.mjs -> /a b/c.mjs
  function fileURLToPath(url) {
    let path = url.slice('file://'.length);
    if (!path.startsWith('/')) {
      throw codedError(TypeError, 'ERR_INVALID_FILE_URL_HOST', 'File URL host must be "localhost" or empty on linux');
    }
    if (/%2f/i.test(path)) {
      throw codedError(TypeError, 'ERR_INVALID_FILE_URL_PATH', 'File URL path must not include encoded / characters');
    }
    return decodeURIComponent(path);
  }

  // The path as a file URL, percent-encoded as Node's pathToFileURL does.
  function pathToFileURL(path) {
    let out = 'file://';
    for (const ch of path) {
      const code = ch.codePointAt(0);
      if (code > 0x7d || code <= 0x20 || '"#%<>?[\\]^`{|}'.includes(ch)) {
        out += encodeURIComponent(ch).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
      } else {
        out += ch;
      }
    }
    return out;
  }

  // What the ES module loader asks of this side: import.meta for a module
  // file, and the values behind the modules it makes for CommonJS files and
  // built-in modules.
  const esm = {
    __proto__: null,
    meta(meta, filename) {
      meta.url = pathToFileURL(filename);
      meta.filename = filename;
      meta.dirname = dirname(filename);
      meta.resolve = function resolve(specifier) {
        if (typeof specifier !== 'string') specifier = String(specifier);
        const found = host.resolveImport(specifier, filename);
        return found.startsWith('/') ? pathToFileURL(found) : found;
      };
    },
    // The module in front of a CommonJS file runs it when it evaluates.
    commonJs(meta, filename) {
      meta.value = () => loadFile(filename, null, false).exports;
    },
    builtin(name) {
      return loadNative(name);
    },
    // The module in front of a built-in module or JSON hands out a value.
    handOut(meta, value) {
      meta.value = () => value;
    },
  };
  function builtinRequire(id) {
    validateId(id);
    const name = id.startsWith('node:') ? id.slice(5) : id;
    if (!host.isNative(name)) throw codedError(Error, 'ERR_UNKNOWN_BUILTIN_MODULE', 'No such built-in module: ' + id);
    return loadNative(name); // the policy is checked where the module is loaded, in Rust
  }

  const baseModule = {
    path: host.baseDir,
    filename: (host.baseDir === '/' ? '' : host.baseDir) + '/[eval]',
    children: [],
    parent: undefined,
  };

  return {
    esm,
    // An import from Rust: loaded in a promise job, as Node loads an entry
    // module (promise jobs the module queues run before nextTick callbacks).
    importEntry(specifier) {
      return import(specifier);
    },
    require: makeRequire(baseModule),
    requireFromBase(request) {
      return requireFrom(baseModule, request);
    },
    // Runtime::require and call_export: resolved once; an ES module file is
    // handed back by path, for Rust to import it (see requireModule).
    requireFromRust(request) {
      validateId(request);
      const found = resolveFrom(baseModule, request);
      if (found[0] === 'native') return ['exports', loadNative(found[1])];
      if (host.format(found[1]) === 'module') return ['module', found[1]];
      return ['exports', loadFile(found[1], baseModule, false).exports];
    },
    runMain(filename) {
      validateId(filename);
      const found = resolveFrom(null, filename);
      if (found[0] === 'native') return loadNative(found[1]);
      return loadFile(found[1], null, true).exports;
    },
  };
})
