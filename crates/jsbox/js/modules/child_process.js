// child_process: spawnSync, execSync, execFileSync, and the asynchronous
// spawn, exec, execFile with ChildProcess objects. Every call goes through the
// `exec` binding, which applies the runtime's policy in Rust (the `exec`
// module must be allowed, and the program must be on `allow_programs` when
// there is a list; a shell is the program `/bin/sh`). Asynchronous children
// run on a Rust thread each; the event loop polls them with a timer.
(function (exports, require, module, internal) {
  'use strict';
  const { invalidArgType, codedError } = internal.errors;
  const EventEmitter = require('events');

  // The binding is fetched on first use: requiring the module is allowed
  // everywhere, and every function refuses under a policy that denies it.
  let bindingCache;
  const binding = () => bindingCache || (bindingCache = internal.binding('exec'));
  const buffer = () => internal.buffer;
  const promisifyCustom = Symbol.for('nodejs.util.promisify.custom');

  // stream.Readable / Writable when the stream module loads; small emitters
  // otherwise.
  let streamModule;
  function streams() {
    if (streamModule === undefined) {
      try {
        const s = require('stream');
        streamModule = typeof s.Readable === 'function' && typeof s.Writable === 'function' ? s : null;
      } catch (err) {
        streamModule = null;
      }
    }
    return streamModule;
  }

  // A minimal readable: 'data' (decoded when setEncoding was called), 'end',
  // 'close'; pause/resume; pipe to anything with write/end.
  class ChildReadable extends EventEmitter {
    constructor() {
      super();
      this.readable = true;
      this.readableEnded = false;
      this.destroyed = false;
      this._encoding = null;
      this._paused = false;
      this._queue = [];
      this._ended = false;
    }
    setEncoding(encoding) { this._encoding = encoding === undefined ? 'utf8' : encoding; return this; }
    pause() { this._paused = true; return this; }
    resume() { this._paused = false; this._flush(); return this; }
    isPaused() { return this._paused; }
    destroy() { this.destroyed = true; this._queue = []; return this; }
    pipe(dest) {
      this.on('data', (chunk) => dest.write(chunk));
      this.on('end', () => { if (dest !== internal.process.stdout && dest !== internal.process.stderr) dest.end(); });
      return dest;
    }
    _push(chunk) {
      if (this.destroyed) return;
      this._queue.push(chunk);
      this._flush();
    }
    _end() { this._ended = true; this._flush(); }
    _flush() {
      while (!this._paused && this._queue.length) {
        const chunk = this._queue.shift();
        this.emit('data', this._encoding ? buffer().decode(chunk, this._encoding) : chunk);
      }
      if (this._ended && !this._queue.length && !this.readableEnded) {
        this.readableEnded = true;
        this.readable = false;
        this.emit('end');
        this.emit('close');
      }
    }
    [Symbol.asyncIterator]() { return internal.stdio.iterateData(this); }
  }

  class ChildWritable extends EventEmitter {
    constructor(write, end) {
      super();
      this.writable = true;
      this.writableEnded = false;
      this.destroyed = false;
      this._write = write;
      this._endInput = end;
      // Chunks the binding refused (its queue is full): retried on a timer,
      // 'drain' once they are all taken.
      this._queue = [];
      this._timer = null;
      this._ending = false;
    }
    _flush() {
      this._timer = null;
      while (this._queue.length && this._write(this._queue[0][0])) {
        const cb = this._queue.shift()[1];
        if (cb) cb();
      }
      if (this._queue.length) {
        this._timer = internal.timers.setTimeout(() => this._flush(), 4);
        return;
      }
      if (this._ending) { this._ending = false; this._endInput(); } else this.emit('drain');
    }
    write(chunk, encoding, cb) {
      if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
      if (this.writableEnded) {
        const err = codedError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end');
        internal.process.nextTick(() => { if (cb) cb(err); this.emit('error', err); });
        return false;
      }
      const bytes = toBytes(chunk, encoding, 'chunk');
      if (this._queue.length === 0 && this._write(bytes)) {
        if (cb) internal.process.nextTick(cb);
        return true;
      }
      this._queue.push([bytes, cb]);
      if (this._timer === null) this._timer = internal.timers.setTimeout(() => this._flush(), 1);
      return false;
    }
    end(chunk, encoding, cb) {
      if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
      if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
      if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
      if (!this.writableEnded) {
        this.writableEnded = true;
        this.writable = false;
        if (this._queue.length) this._ending = true;
        else this._endInput();
        internal.process.nextTick(() => { this.emit('finish'); this.emit('close'); if (cb) cb(); });
      }
      return this;
    }
    destroy() {
      this.destroyed = true;
      this._queue = [];
      if (this._timer !== null) { internal.timers.clearTimeout(this._timer); this._timer = null; }
      if (!this.writableEnded) this.end();
      else if (this._ending) { this._ending = false; this._endInput(); }
      return this;
    }
  }

  function toBytes(data, encoding, name) {
    if (typeof data === 'string') return buffer().Buffer.from(data, encoding);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    throw invalidArgType(name, ['string', 'Buffer', 'TypedArray', 'DataView'], data);
  }

  function makeReadable() {
    const s = streams();
    if (s === null) return new ChildReadable();
    const readable = new s.Readable({ read() {} });
    readable._push = (chunk) => readable.push(buffer().toBuffer(chunk));
    readable._end = () => readable.push(null);
    return readable;
  }

  function makeWritable(id) {
    const write = (bytes) => binding().write(id, bytes);
    const end = () => binding().endInput(id);
    const s = streams();
    if (s === null) return new ChildWritable(write, end);
    return new s.Writable({
      // The binding refuses a chunk while its queue is full: try again on a
      // timer, so the stream holds the rest (and says so) until it drains.
      write(chunk, encoding, cb) {
        const bytes = toBytes(chunk, encoding, 'chunk');
        let delay = 1;
        const attempt = () => {
          if (write(bytes)) return cb();
          delay = Math.min(delay * 2, 16);
          internal.timers.setTimeout(attempt, delay);
        };
        attempt();
      },
      final(cb) { end(); cb(); },
    });
  }

  // The most arguments a program gets (the binding's own bound too).
  const MAX_ARGS = 131072;

  // --- argument normalization ------------------------------------------------

  function checkFile(file) {
    if (typeof file !== 'string') throw invalidArgType('file', 'string', file);
    if (file.length === 0) {
      throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', "The argument 'file' cannot be empty. Received ''");
    }
    if (file.includes('\u0000')) {
      throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
        "The argument 'file' must be a string without null bytes. Received " + internal.inspect(file));
    }
  }

  function stdioOf(stdio) {
    if (stdio === undefined || stdio === null) return ['pipe', 'pipe', 'pipe'];
    if (typeof stdio === 'string') {
      if (stdio !== 'pipe' && stdio !== 'inherit' && stdio !== 'ignore' && stdio !== 'overlapped') {
        throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
          "The argument 'stdio' is invalid. Received " + internal.inspect(stdio));
      }
      return [stdio, stdio, stdio];
    }
    if (!Array.isArray(stdio)) throw invalidArgType('options.stdio', ['string', 'Array'], stdio);
    const out = [];
    for (let i = 0; i < 3; i++) {
      const item = stdio[i];
      if (item === undefined || item === null || item === 'pipe' || item === 'overlapped') out.push('pipe');
      else if (item === 'ignore') out.push('ignore');
      else if (item === 'inherit' || item === i) out.push('inherit');
      else if (typeof item === 'number' && item >= 0 && item <= 2) out.push('inherit');
      else if (typeof item === 'object' && item !== null && item.fd === i) out.push('inherit');
      else {
        throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
          "The argument 'stdio' is invalid. Received " + internal.inspect(item));
      }
    }
    return out;
  }

  function envPairs(env) {
    const pairs = [];
    for (const key of Object.keys(env)) {
      const value = env[key];
      if (value !== undefined) pairs.push(key + '=' + value);
    }
    return pairs;
  }

  function checkNumber(value, name) {
    if (value !== undefined && value !== null && (typeof value !== 'number' || !(value >= 0))) {
      if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
      throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
        `The value of "${name}" is out of range. It must be an unsigned integer. Received ${value}`);
    }
  }

  // (file, args, options) as spawn and spawnSync take them: returns what the
  // binding takes.
  function normalize(file, args, options) {
    checkFile(file);
    if (args === undefined || args === null) {
      args = [];
    } else if (!Array.isArray(args)) {
      if (typeof args === 'object' && options === undefined) {
        options = args;
        args = [];
      } else {
        throw invalidArgType('args', 'object', args);
      }
    }
    if (options === undefined || options === null) options = {};
    else if (typeof options !== 'object') throw invalidArgType('options', 'object', options);
    if (args.length > MAX_ARGS) {
      throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
        `The value of "args.length" is out of range. It must be <= ${MAX_ARGS}. Received ${args.length}`);
    }
    args = args.map((arg) => {
      const text = String(arg);
      if (text.includes('\u0000')) {
        throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
          "The argument 'args[0]' must be a string without null bytes. Received " + internal.inspect(text));
      }
      return text;
    });
    let cwd = options.cwd;
    if (cwd !== undefined && cwd !== null) {
      if (typeof URL === 'function' && cwd instanceof URL) cwd = decodeURIComponent(cwd.pathname);
      else if (cwd instanceof Uint8Array) cwd = buffer().decode(cwd, 'utf8');
      if (typeof cwd !== 'string') throw invalidArgType('options.cwd', ['string', 'Buffer', 'URL'], cwd);
    } else {
      cwd = undefined;
    }
    if (options.env !== undefined && options.env !== null && typeof options.env !== 'object') {
      throw invalidArgType('options.env', 'object', options.env);
    }
    if (options.argv0 !== undefined && typeof options.argv0 !== 'string') {
      throw invalidArgType('options.argv0', 'string', options.argv0);
    }
    checkNumber(options.timeout, 'options.timeout');
    checkNumber(options.maxBuffer, 'options.maxBuffer');
    let shell = options.shell;
    if (shell !== undefined && shell !== null && shell !== false && shell !== true && typeof shell !== 'string') {
      throw invalidArgType('options.shell', ['boolean', 'string'], shell);
    }
    const spawnargs = [file, ...args];
    if (shell) {
      const command = spawnargs.join(' ');
      file = typeof shell === 'string' ? shell : '/bin/sh';
      args = ['-c', command];
    }
    const env = options.env === undefined || options.env === null ? internal.process.env : options.env;
    // 'inherit' means the process's own stdio only where the runtime speaks
    // for the process; elsewhere (a capture sink) the child's output goes
    // through process.stdout/stderr, and its stdin is empty.
    const stdio = stdioOf(options.stdio);
    const forward = [false, false, false];
    if (!internal.processChunk.ownsStdio()) {
      if (stdio[0] === 'inherit') stdio[0] = 'ignore';
      for (const i of [1, 2]) {
        if (stdio[i] === 'inherit') { stdio[i] = 'pipe'; forward[i] = true; }
      }
    }
    return {
      file,
      args,
      options,
      spawnargs: [options.argv0 === undefined ? file : options.argv0, ...args],
      forward,
      native: {
        cwd,
        env: envPairs(env),
        argv0: options.argv0,
        stdio,
        timeout: options.timeout,
        maxBuffer: options.maxBuffer,
        killSignal: options.killSignal,
      },
    };
  }

  function inputBytes(input) {
    if (input === undefined || input === null) return undefined;
    if (typeof input === 'string') return buffer().Buffer.from(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw invalidArgType('options.stdio[0]', ['Buffer', 'TypedArray', 'DataView', 'string'], input);
  }

  function decodeOutput(bytes, encoding) {
    if (bytes === null || bytes === undefined) return null;
    if (encoding && encoding !== 'buffer') return buffer().decode(bytes, encoding);
    return buffer().toBuffer(bytes);
  }

  // --- synchronous -------------------------------------------------------------

  function runSync(spec) {
    const { options, native } = spec;
    native.input = inputBytes(options.input);
    if (native.maxBuffer === undefined || native.maxBuffer === null) native.maxBuffer = 1024 * 1024;
    const raw = binding().spawnSync(spec.file, spec.args, native);
    for (const i of [1, 2]) {
      if (!spec.forward[i]) continue;
      const key = i === 1 ? 'stdout' : 'stderr';
      const stream = i === 1 ? internal.process.stdout : internal.process.stderr;
      if (raw[key] && raw[key].length) stream.write(raw[key]);
      raw[key] = null;
    }
    const stdout = decodeOutput(raw.stdout, options.encoding);
    const stderr = decodeOutput(raw.stderr, options.encoding);
    const result = {};
    if (raw.error) {
      raw.error.spawnargs = spec.args.slice();
      result.error = raw.error;
    }
    const started = raw.pid !== 0;
    result.status = raw.status;
    result.signal = raw.signal;
    result.output = started ? [null, stdout, stderr] : null;
    result.pid = raw.pid;
    result.stdout = stdout;
    result.stderr = stderr;
    return result;
  }

  function spawnSync(file, args, options) {
    return runSync(normalize(file, args, options));
  }

  // The error execSync and execFileSync throw, if any.
  function syncError(result, command) {
    if (result.error) return Object.assign(result.error, result);
    if (result.status === 0) return null;
    let message = 'Command failed: ' + command;
    if (result.stderr && result.stderr.length > 0) message += '\n' + result.stderr.toString();
    return Object.assign(new Error(message), result);
  }

  function execFileSync(file, args, options) {
    if (!Array.isArray(args) && args !== undefined && args !== null && typeof args === 'object') {
      options = args;
      args = [];
    }
    const spec = normalize(file, args, options);
    const inheritStderr = spec.options.stdio === undefined;
    const result = runSync(spec);
    if (inheritStderr && result.stderr && result.stderr.length) internal.process.stderr.write(result.stderr);
    const err = syncError(result, [file, ...(Array.isArray(args) ? args : [])].join(' '));
    if (err) throw err;
    return result.stdout;
  }

  function shellSpec(command, options, name) {
    if (typeof command !== 'string') throw invalidArgType(name, 'string', command);
    if (options === undefined || options === null) options = {};
    else if (typeof options !== 'object') throw invalidArgType('options', 'object', options);
    return normalize(command, [], { ...options, shell: typeof options.shell === 'string' ? options.shell : true });
  }

  function execSync(command, options) {
    const spec = shellSpec(command, options, 'command');
    const inheritStderr = spec.options.stdio === undefined;
    const result = runSync(spec);
    if (inheritStderr && result.stderr && result.stderr.length) internal.process.stderr.write(result.stderr);
    const err = syncError(result, command);
    if (err) throw err;
    return result.stdout;
  }

  // --- asynchronous -------------------------------------------------------------

  const kId = Symbol('id');
  const kTimer = Symbol('timer');
  const kRef = Symbol('ref');
  // The readables (or forwarders to process.stdout/stderr) the poller feeds.
  const kOut = Symbol('outputs');

  class ChildProcess extends EventEmitter {
    constructor() {
      super();
      this.pid = undefined;
      this.exitCode = null;
      this.signalCode = null;
      this.killed = false;
      this.connected = false;
      this.spawnfile = undefined;
      this.spawnargs = [];
      this.stdin = null;
      this.stdout = null;
      this.stderr = null;
      this.stdio = [null, null, null];
      this[kId] = undefined;
      this[kTimer] = null;
      this[kRef] = true;
      this[kOut] = [null, null];
    }
    kill(signal) {
      if (this[kId] === undefined || this.exitCode !== null || this.signalCode !== null) return false;
      const sent = binding().signal(this[kId], signal === undefined ? 'SIGTERM' : signal);
      if (sent) this.killed = true;
      return sent;
    }
    ref() { this[kRef] = true; if (this[kTimer]) this[kTimer].ref(); }
    unref() { this[kRef] = false; if (this[kTimer]) this[kTimer].unref(); }
    disconnect() {}
    send() { throw codedError(Error, 'ERR_IPC_CHANNEL_CLOSED', 'Channel closed'); }
    [Symbol.dispose]() { if (!this.killed) this.kill(); }
  }

  function startPolling(child) {
    const timers = internal.timers;
    const id = child[kId];
    let delay = 1;
    let exited = false;
    const [out, err] = child[kOut];
    const ended = [out === null, err === null];
    // Events wait in a queue: when a listener throws (the error goes on to
    // 'uncaughtException'), the rest are delivered on the next turn, and the
    // next poll is scheduled first, so a throwing listener never stalls the
    // child.
    const queue = [];
    const drain = () => {
      try {
        while (queue.length) queue.shift()();
      } catch (e) {
        if (queue.length) timers.setImmediate(drain);
        throw e;
      }
    };
    const tick = () => {
      child[kTimer] = null;
      const r = binding().poll(id);
      const finished = r === null || r.done;
      const active = r !== null && !!(r.stdout || r.stderr || (r.exited && !exited));
      if (!finished) {
        delay = active ? 1 : Math.min(delay * 2, 16);
        child[kTimer] = timers.setTimeout(tick, delay);
        if (!child[kRef]) child[kTimer].unref();
      }
      if (r !== null) {
        if (r.stdout && out) queue.push(() => out._push(r.stdout));
        if (r.stderr && err) queue.push(() => err._push(r.stderr));
        if (r.stdoutClosed && !ended[0]) { ended[0] = true; queue.push(() => out._end()); }
        if (r.stderrClosed && !ended[1]) { ended[1] = true; queue.push(() => err._end()); }
        if (r.exited && !exited) {
          exited = true;
          queue.push(() => {
            child.exitCode = r.status;
            child.signalCode = r.signal;
            child.emit('exit', r.status, r.signal);
          });
        }
      }
      if (finished) {
        if (!ended[0]) { ended[0] = true; queue.push(() => out._end()); }
        if (!ended[1]) { ended[1] = true; queue.push(() => err._end()); }
        queue.push(() => {
          if (child.stdin && !child.stdin.destroyed && typeof child.stdin.destroy === 'function') {
            child.stdin.destroy();
          }
        });
        queue.push(() => timers.setImmediate(() => child.emit('close', child.exitCode, child.signalCode)));
      }
      drain();
    };
    child[kTimer] = timers.setTimeout(tick, 1);
  }

  function spawnChild(spec) {
    const child = new ChildProcess();
    child.spawnfile = spec.file;
    child.spawnargs = spec.spawnargs;
    const stdio = spec.native.stdio;
    let handle;
    try {
      handle = binding().spawn(spec.file, spec.args, spec.native);
    } catch (err) {
      if (err === null || typeof err !== 'object' || typeof err.errno !== 'number') throw err;
      err.spawnargs = spec.args.slice();
      if (stdio[1] === 'pipe' && !spec.forward[1]) { child.stdout = makeReadable(); child.stdout._end(); }
      if (stdio[2] === 'pipe' && !spec.forward[2]) { child.stderr = makeReadable(); child.stderr._end(); }
      child.stdio = [null, child.stdout, child.stderr];
      internal.process.nextTick(() => {
        child.emit('error', err);
        internal.timers.setImmediate(() => child.emit('close', err.errno, null));
      });
      return child;
    }
    child[kId] = handle.id;
    child.pid = handle.pid;
    if (stdio[0] === 'pipe') child.stdin = makeWritable(handle.id);
    for (const i of [1, 2]) {
      if (stdio[i] !== 'pipe') continue;
      const key = i === 1 ? 'stdout' : 'stderr';
      if (spec.forward[i]) {
        // Inherited output, through the console sink: not the script's stream.
        const target = i === 1 ? internal.process.stdout : internal.process.stderr;
        child[kOut][i - 1] = { _push: (bytes) => target.write(bytes), _end() {} };
      } else {
        child[key] = child[kOut][i - 1] = makeReadable();
      }
    }
    child.stdio = [child.stdin, child.stdout, child.stderr];
    internal.process.nextTick(() => child.emit('spawn'));
    startPolling(child);
    return child;
  }

  function spawn(file, args, options) {
    const spec = normalize(file, args, options);
    const child = spawnChild(spec);
    const timeout = spec.options.timeout;
    if (timeout > 0 && child[kId] !== undefined) {
      const timer = internal.timers.setTimeout(() => child.kill(spec.options.killSignal), timeout);
      child.once('exit', () => internal.timers.clearTimeout(timer));
    }
    return child;
  }

  // exec and execFile: collect the output and call back once the child closed.
  function collect(spec, command, callback) {
    const options = spec.options;
    const encoding = options.encoding === undefined ? 'utf8' : options.encoding;
    const maxBuffer = options.maxBuffer === undefined || options.maxBuffer === null ? 1024 * 1024 : options.maxBuffer;
    const child = spawnChild(spec);
    const out = { stdout: [], stderr: [] };
    const sizes = { stdout: 0, stderr: 0 };
    let failure = null;
    let killedHere = false;
    let done = false;
    const finish = (code, signal) => {
      if (done) return;
      done = true;
      if (timer) internal.timers.clearTimeout(timer);
      if (typeof callback !== 'function') return;
      const join = (chunks) => {
        const all = buffer().Buffer.concat(chunks);
        return encoding && encoding !== 'buffer' ? all.toString(encoding) : all;
      };
      const stdout = join(out.stdout);
      const stderr = join(out.stderr);
      let err = failure;
      if (err === null && (code !== 0 || signal !== null)) {
        err = new Error('Command failed: ' + command + '\n' + (typeof stderr === 'string' ? stderr : stderr.toString()));
        err.code = code;
        err.killed = child.killed || killedHere;
        err.signal = signal;
      }
      if (err !== null) err.cmd = command;
      callback(err, stdout, stderr);
    };
    for (const name of ['stdout', 'stderr']) {
      const stream = child[name];
      if (!stream) continue;
      stream.on('data', (chunk) => {
        if (failure !== null) return;
        const bytes = typeof chunk === 'string' ? buffer().Buffer.from(chunk) : chunk;
        sizes[name] += bytes.length;
        if (sizes[name] > maxBuffer) {
          const keep = bytes.length - (sizes[name] - maxBuffer);
          out[name].push(bytes.subarray(0, keep));
          failure = codedError(RangeError, 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER', name + ' maxBuffer length exceeded');
          stop();
          return;
        }
        out[name].push(bytes);
      });
    }
    // As Node does on a timeout or too much output: the output streams are
    // let go (a grandchild holding them does not delay the callback).
    function stop() {
      killedHere = true;
      if (child[kId] !== undefined) binding().closeOutputs(child[kId]);
      child.kill(options.killSignal);
    }
    let timer = null;
    if (options.timeout > 0 && child[kId] !== undefined) {
      timer = internal.timers.setTimeout(stop, options.timeout);
    }
    child.on('error', (err) => {
      if (failure === null) failure = err;
      finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
    return child;
  }

  function splitCallback(args, options, callback) {
    if (typeof args === 'function') return { args: undefined, options: undefined, callback: args };
    if (typeof options === 'function') return { args, options: undefined, callback: options };
    return { args, options, callback };
  }

  function execFile(file, args, options, callback) {
    let parts = splitCallback(args, options, callback);
    if (!Array.isArray(parts.args) && parts.args !== undefined && parts.args !== null &&
        typeof parts.args === 'object') {
      parts = { args: [], options: parts.args, callback: parts.options === undefined ? parts.callback : parts.options };
    }
    if (parts.callback !== undefined && typeof parts.callback !== 'function') {
      throw invalidArgType('callback', 'function', parts.callback);
    }
    const spec = normalize(file, parts.args, parts.options);
    const command = [file, ...(Array.isArray(parts.args) ? parts.args.map(String) : [])].join(' ');
    return collect(spec, command, parts.callback);
  }

  function exec(command, options, callback) {
    if (typeof options === 'function') { callback = options; options = undefined; }
    const spec = shellSpec(command, options, 'command');
    return collect(spec, command, callback);
  }

  function promisified(run) {
    return function (...args) {
      let child;
      const promise = new Promise((resolve, reject) => {
        child = run(...args, (err, stdout, stderr) => {
          if (err) {
            err.stdout = stdout;
            err.stderr = stderr;
            reject(err);
          } else {
            resolve({ stdout, stderr });
          }
        });
      });
      promise.child = child;
      return promise;
    };
  }
  Object.defineProperty(exec, promisifyCustom, { value: promisified(exec), enumerable: false });
  Object.defineProperty(execFile, promisifyCustom, { value: promisified(execFile), enumerable: false });

  function fork() {
    throw codedError(Error, 'ERR_JSBOX_UNSUPPORTED',
      'child_process.fork is not supported by jsbox (there is no node binary to run)');
  }

  Object.assign(exports, {
    ChildProcess,
    spawn,
    spawnSync,
    exec,
    execFile,
    execSync,
    execFileSync,
    fork,
    _forkChild: undefined,
  });
  delete exports._forkChild;
})
