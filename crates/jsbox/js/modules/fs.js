// fs: Node's synchronous file API (and fs.promises) over jsbox's native binding.
// Differences from Node: callback-style functions are not provided; file
// descriptors (a number as path) are not supported; `'buffer'` as an encoding
// returns a Buffer (Node throws ERR_UNKNOWN_ENCODING); data may also be an
// ArrayBuffer.
(function (exports, require, module, internal) {
  'use strict';
  const binding = internal.binding('fs');

  const { invalidArgType, codedError } = internal.errors;
  // The Buffer implementation, loaded the first time bytes are involved.
  const buffer = () => internal.buffer;

  function checkPath(path, name = 'path') {
    const given = path;
    if (typeof URL === 'function' && path instanceof URL) {
      path = decodeURIComponent(path.pathname);
    } else if (path !== null && typeof path === 'object' && ArrayBuffer.isView(path) &&
               Object.prototype.toString.call(path) === '[object Uint8Array]') {
      path = buffer().decode(path, 'utf8');
    }
    if (typeof path !== 'string') {
      throw invalidArgType(name, ['string', 'Buffer', 'URL'], path);
    }
    if (path.includes('\u0000')) {
      throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', "The argument '" + name +
        "' must be a string, Uint8Array, or URL without null bytes. Received " + internal.inspect(given));
    }
    return path; // the binding applies the root policy
  }

  function encodingOf(options, fallback) {
    if (options === undefined) return fallback;
    if (options === null) return null;
    if (typeof options === 'string') return options;
    if (typeof options === 'object') return options.encoding === undefined ? fallback : options.encoding;
    throw invalidArgType('options', ['string', 'Object'], options);
  }

  // Node's assertEncoding: null and undefined mean bytes (or UTF-8 for data).
  function checkEncoding(encoding) {
    if (encoding == null || encoding === 'buffer' || buffer().isEncoding(encoding)) return encoding;
    throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
      "The argument 'encoding' is invalid encoding. Received " + internal.inspect(encoding));
  }

  // What to write: a string in its encoding, or the bytes of a Buffer, typed
  // array, DataView or ArrayBuffer.
  function bytesOf(data, encoding) {
    if (typeof data === 'string') {
      if (encoding == null || encoding === 'buffer') encoding = 'utf8';
      return buffer().encode(data, encoding);
    }
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    throw invalidArgType('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }

  function readFileSync(path, options) {
    path = checkPath(path);
    const encoding = checkEncoding(encodingOf(options, null));
    if (encoding === null || encoding === undefined || encoding === 'buffer') {
      return buffer().toBuffer(binding.readBytes(path));
    }
    const lower = String(encoding).toLowerCase();
    if (lower === 'utf8' || lower === 'utf-8') return binding.readText(path);
    return buffer().decode(binding.readBytes(path), encoding);
  }

  function writeFileSync(path, data, options) {
    path = checkPath(path);
    const encoding = checkEncoding(encodingOf(options, 'utf8'));
    binding.write(path, bytesOf(data, encoding), false);
  }

  function appendFileSync(path, data, options) {
    path = checkPath(path);
    const encoding = checkEncoding(encodingOf(options, 'utf8'));
    binding.write(path, bytesOf(data, encoding), true);
  }

  function existsSync(path) {
    try {
      return binding.exists(checkPath(path));
    } catch {
      return false;
    }
  }

  function accessSync(path) {
    binding.access(checkPath(path));
  }

  class Dirent {
    constructor(name, kind, parentPath) {
      this.name = name;
      this.parentPath = parentPath;
      this.path = parentPath;
      Object.defineProperty(this, '_kind', { value: kind });
    }
    isFile() { return this._kind === 'file'; }
    isDirectory() { return this._kind === 'directory'; }
    isSymbolicLink() { return this._kind === 'symlink'; }
  }

  function readdirSync(path, options) {
    path = checkPath(path);
    const entries = binding.readdir(path);
    if (options && typeof options === 'object' && options.withFileTypes) {
      return entries.map(([name, kind]) => new Dirent(name, kind, path));
    }
    return entries.map(([name]) => name);
  }

  function mkdirSync(path, options) {
    const recursive = typeof options === 'object' && options !== null && !!options.recursive;
    const first = binding.mkdir(checkPath(path), recursive);
    return recursive ? first : undefined;
  }

  class Stats {
    constructor(raw) {
      for (const key of Object.keys(raw)) if (key !== 'kind') this[key] = raw[key];
      Object.defineProperty(this, '_kind', { value: raw.kind });
      this.mtime = new Date(raw.mtimeMs);
      this.atime = new Date(raw.atimeMs);
      this.ctime = new Date(raw.ctimeMs);
      this.birthtime = new Date(raw.birthtimeMs);
    }
    isFile() { return this._kind === 'file'; }
    isDirectory() { return this._kind === 'directory'; }
    isSymbolicLink() { return this._kind === 'symlink'; }
  }

  function statWith(follow) {
    return function (path, options) {
      path = checkPath(path);
      try {
        return new Stats(binding.stat(path, follow));
      } catch (err) {
        if (options && options.throwIfNoEntry === false && err.code === 'ENOENT') return undefined;
        throw err;
      }
    };
  }
  const statSync = statWith(true);
  const lstatSync = statWith(false);

  function unlinkSync(path) { binding.unlink(checkPath(path)); }
  function rmdirSync(path) { binding.rmdir(checkPath(path)); }
  function rmSync(path, options) {
    const o = options || {};
    binding.rm(checkPath(path), !!o.recursive, !!o.force);
  }
  function renameSync(from, to) { binding.rename(checkPath(from, 'oldPath'), checkPath(to, 'newPath')); }
  function copyFileSync(from, to) { binding.copyFile(checkPath(from, 'src'), checkPath(to, 'dest')); }
  function realpathSync(path) { return binding.realpath(checkPath(path)); }

  // fs.promises: the same operations, settled asynchronously.
  function promised(fn) {
    return function (...args) {
      return new Promise((resolve, reject) => {
        try {
          resolve(fn(...args));
        } catch (err) {
          reject(err);
        }
      });
    };
  }

  Object.assign(exports, {
    readFileSync, writeFileSync, appendFileSync, existsSync, accessSync, readdirSync,
    mkdirSync, statSync, lstatSync, unlinkSync, rmdirSync, rmSync, renameSync,
    copyFileSync, realpathSync, Stats, Dirent,
    constants: { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 },
  });
  exports.promises = {
    readFile: promised(readFileSync),
    writeFile: promised(writeFileSync),
    appendFile: promised(appendFileSync),
    access: promised(accessSync),
    readdir: promised(readdirSync),
    mkdir: promised(mkdirSync),
    stat: promised(statSync),
    lstat: promised(lstatSync),
    unlink: promised(unlinkSync),
    rmdir: promised(rmdirSync),
    rm: promised(rmSync),
    rename: promised(renameSync),
    copyFile: promised(copyFileSync),
    realpath: promised(realpathSync),
  };
})
