// fs: Node's file API over jsbox's native binding: the synchronous functions,
// their callback forms (`fs.readFile(path, cb)`, called back on a later turn of
// the event loop with Node's `(err, value)`), `fs.promises` (also
// `require('fs/promises')`) with `FileHandle`, file descriptors, `constants`,
// and `createReadStream`/`createWriteStream` (real `stream.Readable`/`Writable`).
// Differences from Node: the work of a callback or promise call is done when
// it is called (synchronously, on the calling thread); only its result arrives
// later. A file descriptor is a number from jsbox's own per-runtime table, not
// an OS descriptor (writeSync and write to 1 and 2 go to process.stdout and
// stderr; nothing else reaches 0, 1 and 2); `'buffer'` as an encoding
// returns a Buffer (Node throws ERR_UNKNOWN_ENCODING); data may also be an
// ArrayBuffer. docs/modules.md lists the rest.
(function (exports, require, module, internal) {
  'use strict';
  const binding = internal.binding('fs');

  const { invalidArgType, codedError, outOfRange } = internal.errors;
  // The Buffer implementation, loaded the first time bytes are involved.
  const buffer = () => internal.buffer;

  const constants = Object.freeze({
    __proto__: null,
    UV_FS_SYMLINK_DIR: 1, UV_FS_SYMLINK_JUNCTION: 2,
    O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2,
    UV_DIRENT_UNKNOWN: 0, UV_DIRENT_FILE: 1, UV_DIRENT_DIR: 2, UV_DIRENT_LINK: 3,
    UV_DIRENT_FIFO: 4, UV_DIRENT_SOCKET: 5, UV_DIRENT_CHAR: 6, UV_DIRENT_BLOCK: 7,
    EXTENSIONLESS_FORMAT_JAVASCRIPT: 0, EXTENSIONLESS_FORMAT_WASM: 1,
    S_IFMT: 61440, S_IFREG: 32768, S_IFDIR: 16384, S_IFCHR: 8192, S_IFBLK: 24576,
    S_IFIFO: 4096, S_IFLNK: 40960, S_IFSOCK: 49152,
    O_CREAT: 64, O_EXCL: 128, UV_FS_O_FILEMAP: 0, O_NOCTTY: 256, O_TRUNC: 512,
    O_APPEND: 1024, O_DIRECTORY: 65536, O_NOATIME: 262144, O_NOFOLLOW: 131072,
    O_SYNC: 1052672, O_DSYNC: 4096, O_DIRECT: 16384, O_NONBLOCK: 2048,
    S_IRWXU: 448, S_IRUSR: 256, S_IWUSR: 128, S_IXUSR: 64, S_IRWXG: 56, S_IRGRP: 32,
    S_IWGRP: 16, S_IXGRP: 8, S_IRWXO: 7, S_IROTH: 4, S_IWOTH: 2, S_IXOTH: 1,
    F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1,
    UV_FS_COPYFILE_EXCL: 1, COPYFILE_EXCL: 1, UV_FS_COPYFILE_FICLONE: 2, COPYFILE_FICLONE: 2,
    UV_FS_COPYFILE_FICLONE_FORCE: 4, COPYFILE_FICLONE_FORCE: 4,
  });
  const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_SYNC } = constants;

  // ---- argument checks --------------------------------------------------

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

  // An option of an options object (`undefined` for a string or nothing).
  function optionOf(options, name) {
    return options !== null && typeof options === 'object' ? options[name] : undefined;
  }

  // Node's assertEncoding: null and undefined mean bytes (or UTF-8 for data).
  function checkEncoding(encoding) {
    if (encoding == null || encoding === 'buffer' || buffer().isEncoding(encoding)) return encoding;
    throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
      "The argument 'encoding' is invalid encoding. Received " + internal.inspect(encoding));
  }

  // Bytes as a string in `encoding`, or as a Buffer without one.
  function decoded(bytes, encoding) {
    if (encoding == null || encoding === 'buffer') return buffer().toBuffer(bytes);
    return buffer().decode(bytes, encoding);
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

  const MAX_INT = Number.MAX_SAFE_INTEGER;

  function checkInteger(value, name, min = 0, max = MAX_INT) {
    if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
    if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
    if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
    return value;
  }

  function checkFd(fd) {
    return checkInteger(fd, 'fd', 0, 2147483647);
  }

  function checkCallback(cb) {
    if (typeof cb !== 'function') throw invalidArgType('cb', 'Function', cb);
    return cb;
  }

  // A read position: -1 for "the file's own".
  const INT64 = 2n ** 63n;
  function positionOf(position) {
    if (position == null) return -1;
    if (typeof position === 'bigint') {
      if (position < -INT64 || position >= INT64) {
        throw codedError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "position" is out of range. ' +
          `It must be >= ${-INT64} && <= ${INT64 - 1n}. Received ` +
          internal.errors.addNumericalSeparator(String(position)) + 'n');
      }
      return position < 0n ? -1 : Number(position);
    }
    return checkInteger(position, 'position', -1);
  }

  // A write position, which Node does not check: anything but a whole
  // number from 0 up means the file's own.
  function writePosition(position) {
    return typeof position === 'number' && Number.isSafeInteger(position) && position >= 0 ? position : -1;
  }

  const FLAGS = {
    __proto__: null,
    'r': O_RDONLY, 'rs': O_RDONLY | O_SYNC, 'sr': O_RDONLY | O_SYNC,
    'r+': O_RDWR, 'rs+': O_RDWR | O_SYNC, 'sr+': O_RDWR | O_SYNC,
    'w': O_TRUNC | O_CREAT | O_WRONLY, 'wx': O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
    'xw': O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
    'w+': O_TRUNC | O_CREAT | O_RDWR, 'wx+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
    'xw+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
    'a': O_APPEND | O_CREAT | O_WRONLY, 'ax': O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
    'xa': O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
    'as': O_APPEND | O_CREAT | O_WRONLY | O_SYNC, 'sa': O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
    'a+': O_APPEND | O_CREAT | O_RDWR, 'ax+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
    'xa+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
    'as+': O_APPEND | O_CREAT | O_RDWR | O_SYNC, 'sa+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
  };

  function flagsOf(flags, fallback = 'r') {
    if (flags == null) flags = fallback;
    if (typeof flags === 'number') return checkInteger(flags, 'flags', -2147483648, 2147483647);
    if (typeof flags === 'string' && FLAGS[flags] !== undefined) return FLAGS[flags];
    throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
      "The argument 'flags' is invalid. Received " + internal.inspect(flags));
  }

  function modeOf(mode, fallback) {
    if (mode == null) return fallback;
    if (typeof mode === 'string') {
      if (!/^[0-7]+$/.test(mode)) {
        throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
          "The argument 'mode' must be a 32-bit unsigned integer or an octal string. Received " +
          internal.inspect(mode));
      }
      mode = parseInt(mode, 8);
    }
    return checkInteger(mode, 'mode', 0, 4294967295);
  }

  // ---- paths -------------------------------------------------------------

  function readFileSync(path, options) {
    const encoding = checkEncoding(encodingOf(options, null));
    if (typeof path === 'number') {
      binding.fstat(checkFd(path)); // as Node, which sizes the file first
      return decoded(readAll(path), encoding);
    }
    path = checkPath(path);
    if (encoding === null || encoding === undefined || encoding === 'buffer') {
      return buffer().toBuffer(binding.readBytes(path));
    }
    const lower = String(encoding).toLowerCase();
    if (lower === 'utf8' || lower === 'utf-8') return binding.readText(path);
    return buffer().decode(binding.readBytes(path), encoding);
  }

  // Every byte from the descriptor's position to its end.
  function readAll(fd) {
    const chunks = [];
    let total = 0;
    for (;;) {
      const chunk = binding.read(fd, 65536, -1);
      if (chunk.length === 0) break;
      chunks.push(chunk);
      total += chunk.length;
    }
    const all = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return all;
  }

  function writeWith(defaultFlag) {
    return function (path, data, options) {
      const encoding = checkEncoding(encodingOf(options, 'utf8'));
      const flag = optionOf(options, 'flag');
      const mode = optionOf(options, 'mode');
      if (typeof path === 'number') {
        binding.writeFd(checkFd(path), bytesOf(data, encoding), -1);
        return;
      }
      path = checkPath(path);
      const bytes = bytesOf(data, encoding);
      if ((flag === undefined || flag === defaultFlag) && mode === undefined) {
        binding.write(path, bytes, defaultFlag === 'a');
        return;
      }
      const fd = binding.open(path, flagsOf(flag, defaultFlag), modeOf(mode, 0o666));
      try {
        binding.writeFd(fd, bytes, -1);
      } finally {
        binding.close(fd);
      }
    };
  }
  const writeFileSync = writeWith('w');
  const appendFileSync = writeWith('a');

  function existsSync(path) {
    try {
      return binding.exists(checkPath(path));
    } catch {
      return false;
    }
  }

  function accessSync(path, mode) {
    path = checkPath(path);
    binding.access(path, mode == null ? 0 : checkInteger(mode, 'mode', 0, 7));
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
    isFIFO() { return false; }
    isSocket() { return false; }
    isCharacterDevice() { return false; }
    isBlockDevice() { return false; }
  }

  function readdirSync(path, options) {
    path = checkPath(path);
    const withFileTypes = !!optionOf(options, 'withFileTypes');
    if (optionOf(options, 'recursive')) return readdirRecursive(path, withFileTypes);
    const entries = binding.readdir(path);
    if (withFileTypes) return entries.map(([name, kind]) => new Dirent(name, kind, path));
    return entries.map(([name]) => name);
  }

  // `dir/name` as path.join writes it for the simple cases met here.
  function joinPath(dir, name) {
    if (dir === '.' || dir === './') return name;
    if (dir.startsWith('./')) dir = dir.slice(2);
    return dir.endsWith('/') ? dir + name : dir + '/' + name;
  }

  // Every entry below `path`, level by level as Node lists them: names
  // relative to `path` (following links to directories, as Node does), or
  // Dirents (not following them).
  function readdirRecursive(path, withFileTypes) {
    const out = [];
    const queue = [''];
    while (queue.length > 0) {
      const sub = queue.shift();
      const full = sub === '' ? path : joinPath(path, sub);
      for (const [name, kind] of binding.readdir(full)) {
        const relative = sub === '' ? name : sub + '/' + name;
        out.push(withFileTypes ? new Dirent(name, kind, full) : relative);
        let isDir = kind === 'directory';
        if (!withFileTypes && kind === 'symlink') {
          try {
            isDir = binding.stat(joinPath(full, name), true).kind === 'directory';
          } catch {
            isDir = false;
          }
        }
        if (isDir) queue.push(relative);
      }
    }
    return out;
  }

  function mkdirSync(path, options) {
    const recursive = typeof options === 'object' && options !== null && !!options.recursive;
    const first = binding.mkdir(checkPath(path), recursive);
    return recursive ? first : undefined;
  }

  // Six characters from [A-Za-z0-9] after the prefix, as Node's mkdtemp.
  const TEMP_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  function mkdtempSync(prefix, options) {
    const encoding = checkEncoding(encodingOf(options, 'utf8'));
    prefix = checkPath(prefix, 'prefix');
    for (let attempt = 0; ; attempt++) {
      let path = prefix;
      for (let i = 0; i < 6; i++) path += TEMP_CHARS[Math.floor(Math.random() * TEMP_CHARS.length)];
      try {
        binding.mkdir(path, false);
      } catch (err) {
        if (err.code === 'EEXIST' && attempt < 100) continue;
        throw err;
      }
      return encoding === 'buffer' ? buffer().encode(path, 'utf8') : path;
    }
  }

  const S_IFMT = constants.S_IFMT;
  class Stats {
    constructor(raw) {
      for (const key of Object.keys(raw)) if (key !== 'kind') this[key] = raw[key];
      Object.defineProperty(this, '_kind', { value: raw.kind });
      this.atime = new Date(raw.atimeMs);
      this.mtime = new Date(raw.mtimeMs);
      this.ctime = new Date(raw.ctimeMs);
      this.birthtime = new Date(raw.birthtimeMs);
    }
    isFile() { return this._kind === 'file'; }
    isDirectory() { return this._kind === 'directory'; }
    isSymbolicLink() { return this._kind === 'symlink'; }
    isFIFO() { return (this.mode & S_IFMT) === constants.S_IFIFO; }
    isSocket() { return (this.mode & S_IFMT) === constants.S_IFSOCK; }
    isCharacterDevice() { return (this.mode & S_IFMT) === constants.S_IFCHR; }
    isBlockDevice() { return (this.mode & S_IFMT) === constants.S_IFBLK; }
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
  function copyFileSync(from, to, mode) {
    from = checkPath(from, 'src');
    to = checkPath(to, 'dest');
    mode = mode == null ? 0 : checkInteger(mode, 'mode', 0, 7);
    binding.copyFile(from, to, (mode & constants.COPYFILE_EXCL) !== 0);
  }
  function realpathSync(path) { return binding.realpath(checkPath(path)); }
  realpathSync.native = realpathSync;
  function readlinkSync(path) { return binding.readlink(checkPath(path)); }
  function symlinkSync(target, path) {
    binding.symlink(checkPath(target, 'target'), checkPath(path));
  }
  function chmodSync(path, mode) { binding.chmod(checkPath(path), modeOf(mode)); }
  function truncateSync(path, len) {
    len = len == null ? 0 : checkInteger(len, 'len', -MAX_INT);
    if (typeof path === 'number') return ftruncateSync(path, len);
    binding.truncate(checkPath(path), Math.max(len, 0));
  }

  // A time as seconds since the epoch: a Date, a number (negative: now) or a
  // numeric string.
  function secondsOf(time) {
    if (typeof time === 'string' && time !== '' && Number(time) == time) return Number(time);
    if (time === '') return 0;
    if (typeof time === 'number' && Number.isFinite(time)) return time < 0 ? Date.now() / 1000 : time;
    if (time instanceof Date) return time.getTime() / 1000;
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
      'The "time" argument must be an instance of Date or an Time in seconds. Received ' +
      internal.errors.determineSpecificType(time));
  }
  function utimesSync(path, atime, mtime) {
    binding.utimes(checkPath(path), secondsOf(atime), secondsOf(mtime), true);
  }
  function lutimesSync(path, atime, mtime) {
    binding.utimes(checkPath(path), secondsOf(atime), secondsOf(mtime), false);
  }
  function linkSync(existingPath, newPath) {
    binding.link(checkPath(existingPath, 'existingPath'), checkPath(newPath, 'newPath'));
  }

  // ---- cp ----------------------------------------------------------------

  // `path` made absolute and normalized (for cp's "into itself" check).
  function absolute(path) {
    if (!path.startsWith('/')) path = internal.cwd() + '/' + path;
    const parts = [];
    for (const part of path.split('/')) {
      if (part === '..') parts.pop();
      else if (part !== '' && part !== '.') parts.push(part);
    }
    return '/' + parts.join('/');
  }

  function cpError(code, description, name, errno, message, path) {
    const err = codedError(Error, code, `${description}: cp returned ${name} (${message}) ${path}`);
    err.errno = errno;
    err.syscall = 'cp';
    err.path = path;
    err.info = { code: name, message, path, syscall: 'cp', errno };
    return err;
  }

  function cpOptions(options) {
    if (options === undefined) return {};
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options);
    if (options.filter !== undefined && typeof options.filter !== 'function') {
      throw invalidArgType('options.filter', 'Function', options.filter);
    }
    return options;
  }

  // The steps of cp(src, dest): a generator that yields the filter's answers
  // (so cpSync and cp share it; only cp waits for a promise).
  function* cpSteps(src, dest, options, top) {
    if (options.filter !== undefined) {
      if (!(yield options.filter(src, dest))) return;
    }
    const look = options.dereference ? statSync : lstatSync;
    const from = look(src);
    const to = look(dest, { throwIfNoEntry: false });
    if (to !== undefined && from.ino === to.ino && from.dev === to.dev) {
      throw cpError('ERR_FS_CP_EINVAL', 'Invalid src or dest', 'EINVAL', 22, 'src and dest cannot be the same', src);
    }
    if (from.isDirectory()) {
      if (to !== undefined && !to.isDirectory()) {
        throw cpError('ERR_FS_CP_DIR_TO_NON_DIR', 'Cannot overwrite non-directory with directory', 'EISDIR', 21,
          `cannot overwrite non-directory ${dest} with directory ${src}`, dest);
      }
      if (top) {
        const a = absolute(src);
        const b = absolute(dest);
        if (b.startsWith(a + '/')) {
          throw cpError('ERR_FS_CP_EINVAL', 'Invalid src or dest', 'EINVAL', 22,
            `cannot copy ${src} to a subdirectory of self ${dest}`, dest);
        }
      }
      if (!options.recursive) {
        throw cpError('ERR_FS_EISDIR', 'Path is a directory', 'EISDIR', 22, `${src} is a directory (not copied)`, src);
      }
      if (to === undefined) mkdirSync(dest);
      for (const name of readdirSync(src)) {
        yield* cpSteps(joinPath(src, name), joinPath(dest, name), options, false);
      }
      if (to === undefined) chmodSync(dest, from.mode & 0o7777);
      return;
    }
    if (to !== undefined && to.isDirectory()) {
      throw cpError('ERR_FS_CP_NON_DIR_TO_DIR', 'Cannot overwrite directory with non-directory', 'ENOTDIR', 20,
        `cannot overwrite directory ${dest} with non-directory ${src}`, dest);
    }
    if (to !== undefined && options.force === false) {
      if (options.errorOnExist) {
        throw cpError('ERR_FS_CP_EEXIST', 'Target already exists', 'EEXIST', 17, `${dest} already exists`, dest);
      }
      return;
    }
    if (from.isSymbolicLink()) {
      let target = readlinkSync(src);
      if (!options.verbatimSymlinks && !target.startsWith('/')) {
        const slash = src.lastIndexOf('/');
        target = absolute((slash < 0 ? '.' : src.slice(0, slash + 1)) + target);
      }
      if (to !== undefined) unlinkSync(dest);
      symlinkSync(target, dest);
      return;
    }
    if (!from.isFile()) {
      throw cpError('ERR_FS_CP_UNKNOWN', 'Cannot copy an unknown file type', 'EINVAL', 22,
        `cannot copy an unknown file type ${dest}`, dest);
    }
    copyFileSync(src, dest);
    if (options.preserveTimestamps) utimesSync(dest, from.atime, from.mtime);
  }

  function cpSync(src, dest, options) {
    options = cpOptions(options);
    const steps = cpSteps(checkPath(src, 'src'), checkPath(dest, 'dest'), options, true);
    for (let step = steps.next(); !step.done; ) {
      const keep = step.value;
      if (keep !== null && typeof keep === 'object' && typeof keep.then === 'function') {
        throw codedError(TypeError, 'ERR_INVALID_RETURN_VALUE',
          'Expected boolean to be returned from the "filter" function but got an instance of Promise.');
      }
      step = steps.next(keep);
    }
  }

  async function cpPromise(src, dest, options) {
    options = cpOptions(options);
    const steps = cpSteps(checkPath(src, 'src'), checkPath(dest, 'dest'), options, true);
    for (let step = steps.next(); !step.done; ) step = steps.next(await step.value);
  }

  function cp(src, dest, options, cb) {
    if (typeof options === 'function') {
      cb = options;
      options = undefined;
    }
    checkCallback(cb);
    cpPromise(src, dest, options).then(() => cb(null), cb);
  }

  // ---- file descriptors --------------------------------------------------

  function openSync(path, flags, mode) {
    path = checkPath(path);
    return binding.open(path, flagsOf(flags), modeOf(mode, 0o666));
  }

  function closeSync(fd) { binding.close(checkFd(fd)); }
  function fstatSync(fd) { return new Stats(binding.fstat(checkFd(fd))); }
  function fsyncSync(fd) { binding.fsync(checkFd(fd)); }
  function checkId(id, name) { return checkInteger(id, name, -1, 4294967295); }
  function chownSync(path, uid, gid) {
    path = checkPath(path);
    binding.chown(path, checkId(uid, 'uid'), checkId(gid, 'gid'), true);
  }
  function lchownSync(path, uid, gid) {
    path = checkPath(path);
    binding.chown(path, checkId(uid, 'uid'), checkId(gid, 'gid'), false);
  }
  function fchownSync(fd, uid, gid) {
    checkFd(fd);
    binding.fchown(fd, checkId(uid, 'uid'), checkId(gid, 'gid'));
  }
  function fdatasyncSync(fd) { binding.fdatasync(checkFd(fd)); }
  function fchmodSync(fd, mode) { binding.fchmod(checkFd(fd), modeOf(mode)); }
  function futimesSync(fd, atime, mtime) {
    binding.futimes(checkFd(fd), secondsOf(atime), secondsOf(mtime));
  }
  function ftruncateSync(fd, len) {
    checkFd(fd);
    len = len == null ? 0 : checkInteger(len, 'len', -MAX_INT);
    binding.ftruncate(fd, Math.max(len, 0));
  }

  function checkView(value, name = 'buffer') {
    if (!ArrayBuffer.isView(value)) throw invalidArgType(name, ['Buffer', 'TypedArray', 'DataView'], value);
    return value;
  }

  // readSync(fd, buffer[, offset[, length[, position]]]) or
  // readSync(fd, buffer, {offset, length, position}).
  function readSync(fd, buf, offset, length, position) {
    checkFd(fd);
    checkView(buf);
    if (offset !== null && typeof offset === 'object') {
      ({ offset = 0, length = buf.byteLength - offset, position = null } = offset);
    }
    offset = offset === undefined ? 0 : checkInteger(offset, 'offset');
    if (length === undefined) length = buf.byteLength - offset;
    length |= 0;
    if (length === 0) return 0;
    if (buf.byteLength === 0) {
      throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
        "The argument 'buffer' is empty and cannot be written. Received " + internal.inspect(buf));
    }
    if (length < 0) throw outOfRange('length', '>= 0', length);
    if (offset + length > buf.byteLength) throw outOfRange('length', `<= ${buf.byteLength - offset}`, length);
    const bytes = binding.read(fd, length, positionOf(position));
    new Uint8Array(buf.buffer, buf.byteOffset + offset, bytes.length).set(bytes);
    return bytes.length;
  }

  // The bytes writeSync(fd, ...rest) writes, and at what position.
  function writeArgs(buf, offset, length, position) {
    if (ArrayBuffer.isView(buf)) {
      if (offset !== null && typeof offset === 'object') {
        ({ offset = 0, length = buf.byteLength - offset, position = null } = offset);
      }
      offset = offset == null ? 0 : checkInteger(offset, 'offset');
      if (typeof length !== 'number') length = buf.byteLength - offset;
      if (typeof position !== 'number') position = null;
      if (offset > buf.byteLength) throw outOfRange('offset', `<= ${buf.byteLength}`, offset);
      checkInteger(length, 'length', -2147483648, 2147483647);
      if (length < 0) throw outOfRange('length', '>= 0', length);
      if (length > buf.byteLength - offset) throw outOfRange('length', `<= ${buf.byteLength - offset}`, length);
      return [new Uint8Array(buf.buffer, buf.byteOffset + offset, length), writePosition(position)];
    }
    if (typeof buf !== 'string') {
      throw invalidArgType('buffer', ['string', 'Buffer', 'TypedArray', 'DataView'], buf);
    }
    const encoding = checkEncoding(length || 'utf8');
    return [bytesOf(buf, encoding), writePosition(offset)];
  }

  // writeSync(fd, buffer[, offset[, length[, position]]]) or
  // writeSync(fd, string[, position[, encoding]]).
  function writeSync(fd, buf, offset, length, position) {
    checkFd(fd);
    const [bytes, at] = writeArgs(buf, offset, length, position);
    if (fd === 1 || fd === 2) {
      // The standard streams: through process.stdout / stderr, which write
      // to the runtime's console at once.
      const process = internal.process;
      (fd === 1 ? process.stdout : process.stderr).write(bytes);
      return bytes.length;
    }
    return binding.writeFd(fd, bytes, at);
  }

  // ---- directories -------------------------------------------------------

  function dirClosed() {
    return codedError(Error, 'ERR_DIR_CLOSED', 'Directory handle was closed');
  }

  // What opendir returns: the entries of a directory, read when it is opened.
  class Dir {
    #entries;
    #path;
    constructor(path, entries) {
      this.#path = path;
      this.#entries = entries;
    }
    get path() { return this.#path; }
    readSync() {
      if (this.#entries === null) throw dirClosed();
      const next = this.#entries.shift();
      return next === undefined ? null : new Dirent(next[0], next[1], this.#path);
    }
    read(cb) {
      if (cb === undefined) return new Promise((resolve) => resolve(this.readSync()));
      checkCallback(cb);
      let entry;
      try {
        entry = this.readSync();
      } catch (err) {
        later(cb, err);
        return undefined;
      }
      later(cb, null, entry);
      return undefined;
    }
    closeSync() {
      if (this.#entries === null) throw dirClosed();
      this.#entries = null;
    }
    close(cb) {
      if (cb === undefined) return new Promise((resolve) => resolve(this.closeSync()));
      checkCallback(cb);
      try {
        this.closeSync();
      } catch (err) {
        later(cb, err);
        return undefined;
      }
      later(cb, null);
      return undefined;
    }
    async *entries() {
      try {
        for (;;) {
          const entry = this.readSync();
          if (entry === null) break;
          yield entry;
        }
      } finally {
        if (this.#entries !== null) this.closeSync();
      }
    }
    [Symbol.asyncIterator]() { return this.entries(); }
  }

  function opendirSync(path) {
    path = checkPath(path);
    let entries;
    try {
      entries = binding.readdir(path);
    } catch (err) {
      // Node's opendir error names neither the path nor scandir.
      if (err !== null && typeof err === 'object' && err.syscall === 'scandir') {
        err.syscall = 'opendir';
        err.message = err.message.slice(0, err.message.indexOf(', scandir ')) + ', opendir';
        delete err.path;
      }
      throw err;
    }
    return new Dir(path, entries);
  }

  function checkViews(buffers) {
    if (!Array.isArray(buffers) || !buffers.every((b) => ArrayBuffer.isView(b))) {
      throw invalidArgType('buffers', 'ArrayBufferView[]', buffers);
    }
    return buffers;
  }

  // readvSync(fd, buffers[, position]): fills each buffer in turn.
  function readvSync(fd, buffers, position) {
    checkFd(fd);
    checkViews(buffers);
    let at = typeof position === 'number' ? positionOf(position) : -1;
    let total = 0;
    for (const view of buffers) {
      if (view.byteLength === 0) continue;
      const bytes = binding.read(fd, view.byteLength, at);
      new Uint8Array(view.buffer, view.byteOffset, bytes.length).set(bytes);
      total += bytes.length;
      if (at >= 0) at += bytes.length;
      if (bytes.length < view.byteLength) break;
    }
    return total;
  }

  // writevSync(fd, buffers[, position]): writes each buffer in turn.
  function writevSync(fd, buffers, position) {
    checkFd(fd);
    checkViews(buffers);
    let at = writePosition(position);
    let total = 0;
    for (const view of buffers) {
      const written = writeSync(fd, view, 0, view.byteLength, at < 0 ? null : at);
      total += written;
      if (at >= 0) at += written;
    }
    return total;
  }

  // ---- callbacks ---------------------------------------------------------

  // Calls `cb(...args)` on a later turn of the event loop.
  function later(cb, ...args) {
    internal.timers.setImmediate(() => cb(...args));
  }

  // Whether `err` is a failure of the operation itself (the callback gets it)
  // rather than a bad argument (thrown at once, as Node does).
  function isOperationError(err) {
    return err !== null && typeof err === 'object' &&
      (typeof err.syscall === 'string' || err.code === 'ERR_ACCESS_DENIED' ||
       err.code === 'ERR_FS_FILE_TOO_LARGE');
  }

  // The callback form of `sync`, taking at least `min` arguments before the
  // callback and at most `max` in all: the callback (the last argument) is
  // called with (err) or (null, value), or `(null, ...results(value, args))`.
  // Without one, ERR_INVALID_ARG_TYPE names what Node would have taken for
  // it: the last argument when `orLast` (Node's `callback ||= options`) or
  // when all `max` were given, else undefined.
  function callbackForm(sync, name, min, max, orLast, results) {
    return {
      [name](...args) {
        const last = args.length > min ? args[args.length - 1] : undefined;
        if (typeof last !== 'function') {
          throw invalidArgType('cb', 'Function', orLast || args.length >= max ? last : undefined);
        }
        const cb = args.pop();
        let value;
        try {
          value = sync(...args);
        } catch (err) {
          if (!isOperationError(err)) throw err;
          later(cb, err);
          return;
        }
        if (results) later(cb, null, ...results(value, args));
        else if (value === undefined) later(cb, null);
        else later(cb, null, value);
      },
    }[name];
  }

  const readFile = callbackForm(readFileSync, 'readFile', 1, 3, true);
  const writeFile = callbackForm(writeFileSync, 'writeFile', 2, 4, true);
  const appendFile = callbackForm(appendFileSync, 'appendFile', 2, 4, true);
  const access = callbackForm(accessSync, 'access', 1, 3);
  const readdir = callbackForm(readdirSync, 'readdir', 1, 3);
  const mkdir = callbackForm(mkdirSync, 'mkdir', 1, 3);
  const mkdtemp = callbackForm(mkdtempSync, 'mkdtemp', 1, 3);
  const stat = callbackForm(statSync, 'stat', 1, 3);
  const lstat = callbackForm(lstatSync, 'lstat', 1, 3);
  const fstat = callbackForm(fstatSync, 'fstat', 1, 3);
  const unlink = callbackForm(unlinkSync, 'unlink', 1, 2);
  const rmdir = callbackForm(rmdirSync, 'rmdir', 1, 3);
  const rm = callbackForm(rmSync, 'rm', 1, 3);
  const rename = callbackForm(renameSync, 'rename', 2, 3);
  const copyFile = callbackForm(copyFileSync, 'copyFile', 2, 4);
  const realpath = callbackForm(realpathSync, 'realpath', 1, 3);
  realpath.native = realpath;
  const readlink = callbackForm(readlinkSync, 'readlink', 1, 3);
  const symlink = callbackForm(symlinkSync, 'symlink', 2, 4);
  const chmod = callbackForm(chmodSync, 'chmod', 2, 3);
  const truncate = callbackForm(truncateSync, 'truncate', 1, 3);
  const ftruncate = callbackForm(ftruncateSync, 'ftruncate', 1, 3);
  const fsync = callbackForm(fsyncSync, 'fsync', 1, 2);
  const open = callbackForm(openSync, 'open', 1, 4, true);
  const write = callbackForm(writeSync, 'write', 2, 6, true, (written, args) => [written, args[1]]);
  const closeForm = callbackForm(closeSync, 'close', 1, 2);
  const utimes = callbackForm(utimesSync, 'utimes', 3, 4);
  const lutimes = callbackForm(lutimesSync, 'lutimes', 3, 4);
  const futimes = callbackForm(futimesSync, 'futimes', 3, 4);
  const link = callbackForm(linkSync, 'link', 2, 3);
  const fdatasync = callbackForm(fdatasyncSync, 'fdatasync', 1, 2);
  const fchmod = callbackForm(fchmodSync, 'fchmod', 2, 3);
  const opendir = callbackForm(opendirSync, 'opendir', 1, 3);
  const readv = callbackForm(readvSync, 'readv', 2, 4, false, (n, args) => [n, args[1]]);
  const writev = callbackForm(writevSync, 'writev', 2, 4, false, (n, args) => [n, args[1]]);
  const chown = callbackForm(chownSync, 'chown', 3, 4);
  const lchown = callbackForm(lchownSync, 'lchown', 3, 4);
  const fchown = callbackForm(fchownSync, 'fchown', 3, 4);

  function close(fd, cb) {
    if (cb === undefined) cb = (err) => { if (err) throw err; };
    return closeForm(fd, cb);
  }

  // read(fd, buffer, offset, length, position, cb), read(fd, {buffer, ...}, cb),
  // read(fd, buffer, {offset, ...}, cb) or read(fd, cb).
  function read(fd, ...args) {
    const cb = checkCallback(args[args.length - 1]);
    args.pop();
    let buf = args[0];
    let rest = args.slice(1);
    if (buf === undefined || (!ArrayBuffer.isView(buf) && buf !== null && typeof buf === 'object')) {
      const options = buf || {};
      buf = options.buffer === undefined ? buffer().Buffer.alloc(16384) : options.buffer;
      rest = [{ offset: options.offset, length: options.length, position: options.position }];
      if (rest[0].offset === undefined) delete rest[0].offset;
      if (rest[0].length === undefined) delete rest[0].length;
    }
    return readForm(fd, buf, ...rest, cb);
  }

  const readForm = callbackForm(readSync, 'read', 2, 6, false, (n, args) => [n, args[1]]);

  // Node's exists: the callback gets only a boolean.
  function exists(path, cb) {
    checkCallback(cb);
    later(cb, existsSync(path));
  }
  Object.defineProperty(exists, Symbol.for('nodejs.util.promisify.custom'), {
    value: (path) => new Promise((resolve) => exists(path, resolve)),
  });
  Object.defineProperty(read, Symbol.for('nodejs.util.promisify.custom'), {
    value: (...args) => new Promise((resolve, reject) => {
      read(...args, (err, bytesRead, buf) => (err ? reject(err) : resolve({ bytesRead, buffer: buf })));
    }),
  });
  Object.defineProperty(write, Symbol.for('nodejs.util.promisify.custom'), {
    value: (...args) => new Promise((resolve, reject) => {
      write(...args, (err, bytesWritten, buf) => (err ? reject(err) : resolve({ bytesWritten, buffer: buf })));
    }),
  });

  // ---- fs.promises -------------------------------------------------------

  // `sync` as an async function: bad arguments reject too, as in Node.
  function promised(sync, name) {
    return {
      async [name](...args) { return sync(...args); },
    }[name];
  }

  function closedError(syscall) {
    const err = codedError(Error, 'EBADF', 'file closed');
    err.errno = -9;
    err.syscall = syscall;
    return err;
  }

  // Closes the descriptors of FileHandles collected without close() (Node
  // does too, with a warning).
  const handleRegistry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((fd) => {
      try {
        binding.close(fd);
      } catch {
        // Already closed.
      }
    })
    : undefined;

  // A file opened by fs.promises.open. Its descriptor is freed by close(),
  // when the handle is garbage-collected, or at the latest when the runtime
  // is dropped.
  let fdOf;
  const kNewHandle = Symbol('new FileHandle');
  class FileHandle {
    #fd;
    #token = {};
    constructor(token, fd) {
      // Made by fs.promises.open only.
      if (token !== kNewHandle) throw codedError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
      this.#fd = fd;
      if (handleRegistry !== undefined && typeof fd === 'number' && fd >= 0) {
        // A token of its own: QuickJS holds tokens strongly, and the handle
        // itself as its token would never be collected.
        handleRegistry.register(this, fd, this.#token);
      }
    }
    static {
      fdOf = (handle, syscall) => {
        if (!(handle instanceof FileHandle)) {
          throw invalidArgType('filehandle', 'FileHandle', handle);
        }
        if (handle.#fd < 0) throw closedError(syscall);
        return handle.#fd;
      };
    }
    get fd() { return this.#fd; }
    async read(buf, offset, length, position) {
      const fd = fdOf(this, 'read');
      if (buf === undefined || (!ArrayBuffer.isView(buf) && buf !== null && typeof buf === 'object')) {
        const options = buf || {};
        buf = options.buffer === undefined ? buffer().Buffer.alloc(16384) : options.buffer;
        offset = options.offset;
        length = options.length;
        position = options.position;
      }
      // Node reads at the file's position for any position but a whole
      // number from 0 up.
      if (typeof position !== 'bigint' && !(Number.isSafeInteger(position) && position >= 0)) {
        position = null;
      }
      const bytesRead = readSync(fd, buf, offset, length, position);
      return { __proto__: null, bytesRead, buffer: buf };
    }
    async write(buf, offset, length, position) {
      const fd = fdOf(this, 'write');
      const bytesWritten = writeSync(fd, buf, offset, length, position);
      return { __proto__: null, bytesWritten, buffer: buf };
    }
    async readFile(options) {
      const fd = fdOf(this, 'readFile');
      return decoded(readAll(fd), checkEncoding(encodingOf(options, null)));
    }
    async writeFile(data, options) {
      const fd = fdOf(this, 'writeFile');
      binding.writeFd(fd, bytesOf(data, checkEncoding(encodingOf(options, 'utf8'))), -1);
    }
    async appendFile(data, options) {
      const fd = fdOf(this, 'appendFile');
      binding.writeFd(fd, bytesOf(data, checkEncoding(encodingOf(options, 'utf8'))), -1);
    }
    async stat() { return fstatSync(fdOf(this, 'fstat')); }
    async truncate(len) { ftruncateSync(fdOf(this, 'ftruncate'), len); }
    async sync() { fsyncSync(fdOf(this, 'fsync')); }
    async datasync() { fdatasyncSync(fdOf(this, 'fdatasync')); }
    async chmod(mode) { fchmodSync(fdOf(this, 'fchmod'), mode); }
    async chown(uid, gid) { fchownSync(fdOf(this, 'fchown'), uid, gid); }
    async readv(buffers, position) {
      const bytesRead = readvSync(fdOf(this, 'read'), buffers, position);
      return { __proto__: null, bytesRead, buffers };
    }
    async writev(buffers, position) {
      const bytesWritten = writevSync(fdOf(this, 'write'), buffers, position);
      return { __proto__: null, bytesWritten, buffers };
    }
    async utimes(atime, mtime) { futimesSync(fdOf(this, 'futime'), atime, mtime); }
    async close() {
      if (this.#fd < 0) return;
      const fd = this.#fd;
      this.#fd = -1;
      if (handleRegistry !== undefined) handleRegistry.unregister(this.#token);
      binding.close(fd);
    }
    createReadStream(options) {
      return createReadStream(null, { ...options, fd: this });
    }
    createWriteStream(options) {
      return createWriteStream(null, { ...options, fd: this });
    }
    // A readline interface over the file's lines (loads `readline`).
    readLines(options) {
      return require('readline').createInterface({
        input: this.createReadStream(options),
        crlfDelay: Infinity,
      });
    }
  }

  async function openPromise(path, flags, mode) {
    return new FileHandle(kNewHandle, openSync(path, flags, mode));
  }

  // readFile/writeFile/appendFile take a FileHandle in place of a path.
  function orHandle(sync, method, name) {
    return {
      async [name](path, ...args) {
        if (path instanceof FileHandle) return path[method](...args);
        return sync(path, ...args);
      },
    }[name];
  }

  const promises = {
    access: promised(accessSync, 'access'),
    copyFile: promised(copyFileSync, 'copyFile'),
    open: openPromise,
    rename: promised(renameSync, 'rename'),
    truncate: promised(truncateSync, 'truncate'),
    rm: promised(rmSync, 'rm'),
    rmdir: promised(rmdirSync, 'rmdir'),
    mkdir: promised(mkdirSync, 'mkdir'),
    readdir: promised(readdirSync, 'readdir'),
    readlink: promised(readlinkSync, 'readlink'),
    symlink: promised(symlinkSync, 'symlink'),
    lstat: promised(lstatSync, 'lstat'),
    stat: promised(statSync, 'stat'),
    unlink: promised(unlinkSync, 'unlink'),
    chmod: promised(chmodSync, 'chmod'),
    realpath: promised(realpathSync, 'realpath'),
    mkdtemp: promised(mkdtempSync, 'mkdtemp'),
    utimes: promised(utimesSync, 'utimes'),
    lutimes: promised(lutimesSync, 'lutimes'),
    link: promised(linkSync, 'link'),
    opendir: promised(opendirSync, 'opendir'),
    cp: cpPromise,
    chown: promised(chownSync, 'chown'),
    lchown: promised(lchownSync, 'lchown'),
    writeFile: orHandle(writeFileSync, 'writeFile', 'writeFile'),
    appendFile: orHandle(appendFileSync, 'appendFile', 'appendFile'),
    readFile: orHandle(readFileSync, 'readFile', 'readFile'),
    constants,
  };

  // ---- streams -----------------------------------------------------------

  let ReadStream;
  let WriteStream;
  // The stream classes, made on first use (they load `stream`).
  function streamClasses() {
    if (ReadStream === undefined) {
      ({ ReadStream, WriteStream } = makeStreams(require('stream')));
    }
    return { ReadStream, WriteStream };
  }

  function makeStreams(stream) {
    // A file stream's _construct: opens its path unless it was given a
    // descriptor, then says 'open' and 'ready' as Node does.
    function openStream(file, callback) {
      if (file.fd !== null) {
        callback();
        return;
      }
      try {
        file.fd = openSync(file.path, file.flags, file.mode);
      } catch (err) {
        callback(err);
        return;
      }
      callback();
      file.emit('open', file.fd);
      file.emit('ready');
    }
    const kHandle = Symbol('handle');

    function streamOptions(options) {
      if (typeof options === 'string') return { encoding: options };
      if (options == null) return {};
      if (typeof options !== 'object') throw invalidArgType('options', ['string', 'Object'], options);
      return options;
    }

    function checkRange(value, name, min) {
      if (value === undefined) return undefined;
      return checkInteger(value, name, min);
    }

    // The checked options of a stream (before the stream exists: a bad one
    // throws without leaving a half-made stream behind).
    function fileOptions(path, options, kind, flags) {
      const handle = options.fd instanceof FileHandle ? options.fd : null;
      let fd = handle ? fdOf(handle, kind) : options.fd;
      fd = fd === undefined || fd === null ? null : checkFd(fd);
      return {
        handle,
        fd,
        path: fd === null ? checkPath(path) : undefined,
        flags: options.flags === undefined ? flags : options.flags,
        mode: options.mode === undefined ? 0o666 : options.mode,
        start: checkRange(options.start, 'start', 0),
      };
    }

    class ReadStream extends stream.Readable {
      constructor(path, options) {
        options = streamOptions(options);
        const encoding = options.encoding === undefined ? undefined : checkEncoding(options.encoding);
        const file = fileOptions(path, options, 'read', 'r');
        const end = options.end === undefined || options.end === Infinity ? Infinity
          : checkInteger(options.end, 'end', 0);
        if (file.start !== undefined && file.start > end) {
          throw outOfRange('start', `<= "end" (here: ${end})`, file.start);
        }
        super({
          highWaterMark: options.highWaterMark === undefined ? 64 * 1024 : options.highWaterMark,
          encoding: encoding === null ? undefined : encoding,
          emitClose: options.emitClose !== false,
          autoDestroy: options.autoClose !== false,
          objectMode: false,
        });
        this[kHandle] = file.handle;
        this.fd = file.fd;
        this.path = file.path;
        this.flags = file.flags;
        this.mode = file.mode;
        this.start = file.start;
        this.end = end;
        this.pos = file.start;
        this.bytesRead = 0;
        this.autoClose = options.autoClose !== false;
      }
      get pending() { return this.fd === null; }
      _construct(callback) { openStream(this, callback); }
      _read(size) {
        let length = size;
        if (this.end !== Infinity) {
          const at = this.pos === undefined ? this.bytesRead + (this.start || 0) : this.pos;
          length = Math.min(length, this.end - at + 1);
        }
        if (length <= 0) {
          this.push(null);
          return;
        }
        let bytes;
        try {
          bytes = binding.read(this.fd, length, this.pos === undefined ? -1 : this.pos);
        } catch (err) {
          later(() => this.destroy(err));
          return;
        }
        later(() => {
          if (this.destroyed) return;
          if (this.pos !== undefined) this.pos += bytes.length;
          this.bytesRead += bytes.length;
          this.push(bytes.length > 0 ? buffer().toBuffer(bytes) : null);
        });
      }
      _destroy(err, callback) {
        closeStreamFd(this, err, callback);
      }
      close(cb) {
        if (typeof cb === 'function') stream.finished(this, cb);
        this.destroy();
      }
    }

    class WriteStream extends stream.Writable {
      constructor(path, options) {
        options = streamOptions(options);
        const encoding = options.encoding === undefined ? 'utf8' : checkEncoding(options.encoding);
        const file = fileOptions(path, options, 'write', 'w');
        super({
          highWaterMark: options.highWaterMark,
          decodeStrings: true,
          defaultEncoding: encoding == null || encoding === 'buffer' ? 'utf8' : encoding,
          emitClose: options.emitClose !== false,
          autoDestroy: options.autoClose !== false,
        });
        this[kHandle] = file.handle;
        this.fd = file.fd;
        this.path = file.path;
        this.flags = file.flags;
        this.mode = file.mode;
        this.start = file.start;
        this.pos = file.start;
        this.bytesWritten = 0;
        this.autoClose = options.autoClose !== false;
      }
      get pending() { return this.fd === null; }
      _construct(callback) { openStream(this, callback); }
      _write(chunk, encoding, callback) {
        const bytes = typeof chunk === 'string' ? bytesOf(chunk, encoding) : bytesOf(chunk);
        try {
          binding.writeFd(this.fd, bytes, this.pos === undefined ? -1 : this.pos);
        } catch (err) {
          later(callback, err);
          return;
        }
        if (this.pos !== undefined) this.pos += bytes.length;
        this.bytesWritten += bytes.length;
        later(callback);
      }
      _destroy(err, callback) {
        closeStreamFd(this, err, callback);
      }
      close(cb) {
        if (cb) {
          if (this.closed) {
            later(cb);
            return;
          }
          this.on('close', cb);
        }
        if (!this.autoClose) this.on('finish', this.destroy);
        this.end();
      }
      destroySoon() { this.end(); }
    }

    function closeStreamFd(s, err, callback) {
      if (s.fd === null || !s.autoClose) {
        callback(err);
        return;
      }
      const fd = s.fd;
      s.fd = null;
      try {
        if (s[kHandle]) s[kHandle].close();
        else binding.close(fd);
      } catch (closeErr) {
        err = err || closeErr;
      }
      later(callback, err);
    }

    return { ReadStream, WriteStream };
  }

  function createReadStream(path, options) {
    return new (streamClasses().ReadStream)(path, options);
  }
  function createWriteStream(path, options) {
    return new (streamClasses().WriteStream)(path, options);
  }

  // ---- exports -----------------------------------------------------------

  Object.assign(exports, {
    readFileSync, writeFileSync, appendFileSync, existsSync, accessSync, readdirSync,
    mkdirSync, mkdtempSync, statSync, lstatSync, fstatSync, unlinkSync, rmdirSync, rmSync,
    renameSync, copyFileSync, realpathSync, readlinkSync, symlinkSync, chmodSync,
    truncateSync, ftruncateSync, fsyncSync, fdatasyncSync, fchmodSync, openSync, closeSync,
    readSync, writeSync, utimesSync, lutimesSync, futimesSync, linkSync, opendirSync,
    readFile, writeFile, appendFile, exists, access, readdir, mkdir, mkdtemp, stat, lstat,
    fstat, unlink, rmdir, rm, rename, copyFile, realpath, readlink, symlink, chmod, truncate,
    ftruncate, fsync, fdatasync, fchmod, open, close, read, write, utimes, lutimes, futimes,
    link, opendir, Dir, cpSync, cp, readvSync, writevSync, readv, writev,
    chownSync, lchownSync, fchownSync, chown, lchown, fchown,
    createReadStream, createWriteStream,
    Stats, Dirent, constants, promises,
    F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1,
  });
  // Getters (not enumerable, unlike Node's): `stream` loads on first use only.
  for (const name of ['ReadStream', 'WriteStream']) {
    Object.defineProperty(exports, name, {
      get() { return streamClasses()[name]; },
      set(value) { Object.defineProperty(exports, name, { value, writable: true, configurable: true }); },
      configurable: true,
    });
  }
})
