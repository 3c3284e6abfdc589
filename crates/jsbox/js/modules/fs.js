// fs: Node's synchronous file API (and fs.promises) over jsbox's native binding.
// Differences from Node: without an encoding, reads return a Uint8Array (jsbox
// has no Buffer); callback-style functions are not provided.
(function (exports, require, module, internal) {
  'use strict';
  const binding = internal.binding('fs');

  const { invalidArgType } = internal.errors;

  function checkPath(path, name = 'path') {
    if (typeof URL === 'function' && path instanceof URL) path = decodeURIComponent(path.pathname);
    if (typeof path !== 'string') {
      throw invalidArgType(name, ['string', 'Buffer', 'URL'], path);
    }
    if (path.includes('\u0000')) {
      const err = new TypeError("The argument '" + name + "' must be a string without null bytes. Received " + internal.inspect(path));
      err.code = 'ERR_INVALID_ARG_VALUE';
      throw err;
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

  const HEX = '0123456789abcdef';
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

  function toBase64(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      s += B64[n >> 18] + B64[(n >> 12) & 63] +
        (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') +
        (i + 2 < bytes.length ? B64[n & 63] : '=');
    }
    return s;
  }

  function fromBase64(text) {
    const clean = text.replace(/[^A-Za-z0-9+/\-_]/g, '');
    const out = [];
    let bits = 0;
    let value = 0;
    for (const c of clean) {
      const d = c === '-' ? 62 : c === '_' ? 63 : B64.indexOf(c);
      value = (value << 6) | d;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push((value >> bits) & 0xff);
      }
    }
    return Uint8Array.from(out);
  }
  function decode(bytes, encoding) {
    switch (String(encoding).toLowerCase()) {
      case 'utf8': case 'utf-8': return binding.decodeUtf8(bytes);
      case 'latin1': case 'binary': {
        let s = '';
        for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
        return s;
      }
      case 'ascii': {
        let s = '';
        for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] & 0x7f);
        return s;
      }
      case 'hex': {
        let s = '';
        for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
        return s;
      }
      case 'base64': return toBase64(bytes);
      default: {
        const err = new TypeError('The argument \'encoding\' is invalid encoding. Received ' + internal.inspect(encoding));
        err.code = 'ERR_INVALID_ARG_VALUE';
        throw err;
      }
    }
  }

  function encode(data, encoding) {
    if (typeof data === 'string') {
      switch (String(encoding || 'utf8').toLowerCase()) {
        case 'utf8': case 'utf-8': return data;
        case 'latin1': case 'binary': case 'ascii':
          return Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff);
        case 'hex': {
          const out = new Uint8Array(data.length >> 1);
          for (let i = 0; i < out.length; i++) out[i] = parseInt(data.substr(i * 2, 2), 16);
          return out;
        }
        case 'base64': return fromBase64(data);
        default: return decode(new Uint8Array(0), encoding);
      }
    }
    if (data instanceof Uint8Array) return data;
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    throw invalidArgType('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }

  function readFileSync(path, options) {
    path = checkPath(path);
    const encoding = encodingOf(options, 'utf8');
    if (encoding === null || encoding === 'buffer') return binding.readBytes(path);
    const lower = String(encoding).toLowerCase();
    if (lower === 'utf8' || lower === 'utf-8') return binding.readText(path);
    return decode(binding.readBytes(path), encoding);
  }

  function writeFileSync(path, data, options) {
    binding.write(checkPath(path), encode(data, encodingOf(options, 'utf8')), false);
  }

  function appendFileSync(path, data, options) {
    binding.write(checkPath(path), encode(data, encodingOf(options, 'utf8')), true);
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
