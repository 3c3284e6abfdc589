// process.stdout, process.stderr and process.stdin (and tty's streams),
// loaded the first time a script reads one of them.
(function (host, core) {
  'use strict';
  const { codedError, describe } = core;
  const { process, emitterMethods } = core.load('process');

  const toBytes = (chunk, encoding) => core.load('buffer').Buffer.from(chunk, encoding);

  // process.stdout and process.stderr: writable streams that write through
  // the runtime's console sink (so their output stays in order with console).
  class WriteStream {
    constructor(fd) {
      Object.defineProperty(this, 'fd', { value: fd, enumerable: true });
      const size = host.windowSize(fd);
      // As in Node: isTTY is there on a terminal only.
      if (host.isatty(fd)) this.isTTY = true;
      if (size) {
        this.columns = size[0];
        this.rows = size[1];
      }
      this.writable = true;
      this.destroyed = false;
      this.writableEnded = false;
      this.writableFinished = false;
      this.writableLength = 0;
      this.writableHighWaterMark = 16384;
      this.writableCorked = 0;
      this.writableObjectMode = false;
      this._isStdio = true;
    }
    write(chunk, encoding, cb) {
      if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
      if (typeof chunk === 'string') {
        if (encoding === undefined || encoding === null || encoding === 'utf8' || encoding === 'utf-8') {
          host.writeRaw(this.fd, chunk);
        } else {
          host.writeRaw(this.fd, toBytes(chunk, encoding));
        }
      } else if (ArrayBuffer.isView(chunk)) {
        host.writeRaw(this.fd, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      } else {
        throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
          'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array. ' + describe(chunk));
      }
      if (typeof cb === 'function') process.nextTick(cb, null);
      return true;
    }
    end(chunk, encoding, cb) {
      if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
      if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
      if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
      // stdout and stderr stay open (as in Node): 'finish' is all that happens.
      if (!this.writableEnded) {
        this.writableEnded = true;
        process.nextTick(() => {
          this.writableFinished = true;
          this.emit('finish');
          if (typeof cb === 'function') cb();
        });
      }
      return this;
    }
    cork() { this.writableCorked++; }
    uncork() { if (this.writableCorked > 0) this.writableCorked--; }
    setDefaultEncoding() { return this; }
    destroy() { return this; }
    getColorDepth(env) {
      if (!this.isTTY) return 1;
      const e = env || process.env;
      if (e.FORCE_COLOR === '0' || e.NO_COLOR !== undefined || e.NODE_DISABLE_COLORS !== undefined) return 1;
      if (e.TERM === 'dumb') return 1;
      if (e.COLORTERM === 'truecolor' || e.COLORTERM === '24bit') return 24;
      if (e.TERM && /-256(color)?$/.test(e.TERM)) return 8;
      return 4;
    }
    hasColors(count, env) {
      if (env === undefined && typeof count === 'object' && count !== null) { env = count; count = 16; }
      if (count === undefined) count = 16;
      return count <= 2 ** this.getColorDepth(env);
    }
    getWindowSize() { return [this.columns || 80, this.rows || 24]; }
    cursorTo(x, y, cb) {
      if (typeof y === 'function') { cb = y; y = undefined; }
      return this.write(y === undefined ? `\x1b[${x + 1}G` : `\x1b[${y + 1};${x + 1}H`, cb);
    }
    moveCursor(dx, dy, cb) {
      let text = '';
      if (dx < 0) text += `\x1b[${-dx}D`; else if (dx > 0) text += `\x1b[${dx}C`;
      if (dy < 0) text += `\x1b[${-dy}A`; else if (dy > 0) text += `\x1b[${dy}B`;
      return this.write(text, cb);
    }
    clearLine(dir, cb) {
      return this.write(dir < 0 ? '\x1b[1K' : dir > 0 ? '\x1b[0K' : '\x1b[2K', cb);
    }
    clearScreenDown(cb) { return this.write('\x1b[0J', cb); }
  }
  Object.assign(WriteStream.prototype, emitterMethods);

  // process.stdin: the process's standard input, read on a Rust thread once
  // a script listens for data (polled by a timer, which keeps the event loop
  // alive while the stream flows, as in Node). With a console sink that does
  // not speak for the process (a capture, say), it ends at once.
  class ReadStream {
    constructor(fd) {
      Object.defineProperty(this, 'fd', { value: fd, enumerable: true });
      if (host.isatty(fd)) this.isTTY = true;
      this.readable = true;
      this.readableEnded = false;
      this.readableFlowing = null;
      this.destroyed = false;
      this.isRaw = false;
      this._encoding = null;
      this._timer = null;
      this._ref = true;
      this._queue = [];
      this._eof = false;
    }
    setEncoding(encoding) { this._encoding = encoding === undefined ? 'utf8' : encoding; return this; }
    setRawMode(mode) { this.isRaw = !!mode; return this; }
    pause() {
      this.readableFlowing = false;
      this._stopPolling();
      return this;
    }
    resume() {
      this.readableFlowing = true;
      this._deliver();
      this._startPolling();
      return this;
    }
    isPaused() { return this.readableFlowing === false; }
    ref() { this._ref = true; if (this._timer) this._timer.ref(); return this; }
    unref() { this._ref = false; if (this._timer) this._timer.unref(); return this; }
    read() {
      if (!this._queue.length) { this._startPolling(); return null; }
      const chunk = this._queue.shift();
      return this._encoding ? core.load('buffer').decode(chunk, this._encoding) : chunk;
    }
    pipe(dest) {
      this.on('data', (chunk) => dest.write(chunk));
      this.on('end', () => { if (!dest._isStdio && typeof dest.end === 'function') dest.end(); });
      return dest;
    }
    destroy() { this.destroyed = true; this._stopPolling(); return this; }
    _stopPolling() {
      if (this._timer) core.load('timers').globals.clearTimeout(this._timer);
      this._timer = null;
    }
    _startPolling() {
      if (this._timer || this._eof || this.destroyed) return;
      const timers = core.load('timers').globals;
      let delay = 1;
      const tick = () => {
        this._timer = null;
        const r = host.stdinStart() === undefined ? null : host.stdinPoll();
        if (r && r.stdout) this._queue.push(core.load('buffer').toBuffer(r.stdout));
        if (r === null || r.stdoutClosed) this._eof = true;
        this._deliver();
        if (this._eof || this.readableFlowing === false || this.destroyed) return;
        delay = r && r.stdout ? 1 : Math.min(delay * 2, 16);
        this._timer = timers.setTimeout(tick, delay);
        if (!this._ref) this._timer.unref();
      };
      this._timer = timers.setTimeout(tick, 0);
      if (!this._ref) this._timer.unref();
    }
    _deliver() {
      if (this.readableFlowing) {
        while (this._queue.length && this.readableFlowing) {
          const chunk = this._queue.shift();
          this.emit('data', this._encoding ? core.load('buffer').decode(chunk, this._encoding) : chunk);
        }
      } else if (this._queue.length) {
        this.emit('readable');
      }
      if (this._eof && !this._queue.length && !this.readableEnded) {
        this.readableEnded = true;
        this.readable = false;
        this.emit('end');
        this.emit('close');
      }
    }
    on(name, listener) {
      emitterMethods.on.call(this, name, listener);
      if (name === 'data' && this.readableFlowing !== false) this.resume();
      else if (name === 'readable' || name === 'end') this._startPolling();
      return this;
    }
    [Symbol.asyncIterator]() { return iterateData(this); }
  }
  for (const name of Object.keys(emitterMethods)) {
    if (name !== 'on') ReadStream.prototype[name] = emitterMethods[name];
  }
  ReadStream.prototype.addListener = ReadStream.prototype.on;


  // The chunks an emitter-style readable ('data', then 'end') gives, as an
  // async iterator (process.stdin here, and child_process's fallback streams).
  async function* iterateData(stream) {
    const chunks = [];
    let wake = null;
    let done = false;
    stream.on('data', (c) => { chunks.push(c); if (wake) wake(); });
    stream.on('end', () => { done = true; if (wake) wake(); });
    while (true) {
      if (chunks.length) { yield chunks.shift(); continue; }
      if (done) return;
      await new Promise((resolve) => { wake = resolve; });
      wake = null;
    }
  }

  return { WriteStream, ReadStream, iterateData };
})
