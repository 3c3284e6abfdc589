// jsbox built-in module `readline`: line-by-line reading of a stream
// (createInterface over any Readable: 'line' and 'close' events, question,
// prompt, async iteration) and the ANSI cursor helpers. Without a TTY to
// drive, there is no line editing: a `terminal: true` interface reads lines
// the same way (no raw mode, history or completion).
(function (exports, require, module, internal) {
  'use strict';
  const EventEmitter = require('events');
  const { StringDecoder } = require('string_decoder');
  const { codedError, validateFunction } = internal.errors;

  const kState = Symbol('kState');
  const lineEnd = /\r\n|\n|\r/;

  function useAfterClose() {
    return codedError(Error, 'ERR_USE_AFTER_CLOSE', 'readline was closed');
  }

  class Interface extends EventEmitter {
    constructor(input, output, completer, terminal) {
      super();
      let options = { input, output, completer, terminal };
      if (input !== null && typeof input === 'object' && input.input !== undefined) options = input;
      const { input: source, output: sink, prompt = '> ', crlfDelay, historySize } = options;
      if (source === null || typeof source !== 'object' || typeof source.on !== 'function') {
        // As in Node, which calls input.on: a TypeError without a code.
        throw new TypeError('input.on is not a function');
      }
      if (options.completer !== undefined && typeof options.completer !== 'function') {
        throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
          `The argument 'completer' is invalid. Received ${internal.inspect(options.completer)}`);
      }
      this.input = source;
      this.output = sink;
      this.terminal = options.terminal !== undefined ? !!options.terminal : !!(sink && sink.isTTY);
      this.line = '';
      this.cursor = 0;
      this.history = [];
      this.historySize = historySize === undefined ? 30 : historySize;
      this.crlfDelay = crlfDelay === undefined ? 100 : Math.max(100, crlfDelay);
      this.closed = false;
      this.paused = false;
      const decoder = new StringDecoder('utf8');
      const state = {
        prompt: String(prompt),
        partial: '',
        sawCR: false,
        question: null,
        savedPrompt: null,
        onData: (chunk) => this._feed(typeof chunk === 'string' ? chunk : decoder.write(chunk)),
        onEnd: () => {
          const rest = decoder.end();
          if (rest) this._feed(rest);
          if (state.partial.length > 0 && !this.closed) {
            const line = state.partial;
            state.partial = '';
            this._line(line);
          }
          this.close();
        },
        onError: (err) => this.emit('error', err),
      };
      Object.defineProperty(this, kState, { value: state });
      source.on('data', state.onData);
      source.on('end', state.onEnd);
      source.on('error', state.onError);
      if (typeof source.resume === 'function') source.resume();
    }

    // Splits what came in into lines: \n, \r\n (also across chunks) and a
    // lone \r end a line.
    _feed(text) {
      const state = this[kState];
      if (state.sawCR && text[0] === '\n') text = text.slice(1);
      state.sawCR = false;
      if (!lineEnd.test(text)) {
        state.partial += text;
        return;
      }
      state.sawCR = text.endsWith('\r');
      const lines = text.split(lineEnd);
      lines[0] = state.partial + lines[0];
      state.partial = lines.pop();
      for (const line of lines) {
        if (this.closed) break;
        this._line(line);
      }
    }

    _line(line) {
      const state = this[kState];
      if (state.question !== null) {
        const callback = state.question;
        state.question = null;
        if (state.savedPrompt !== null) {
          state.prompt = state.savedPrompt;
          state.savedPrompt = null;
        }
        callback(line);
      } else {
        this.emit('line', line);
      }
    }

    _write(text) {
      if (this.output !== null && this.output !== undefined && typeof this.output.write === 'function') {
        this.output.write(text);
      }
    }

    setPrompt(prompt) { this[kState].prompt = String(prompt); }
    getPrompt() { return this[kState].prompt; }

    prompt() {
      if (this.closed) throw useAfterClose();
      if (this.paused) this.resume();
      this._write(this[kState].prompt);
    }

    question(query, options, callback) {
      if (typeof options === 'function') {
        callback = options;
        options = undefined;
      }
      if (this.closed) throw useAfterClose();
      if (typeof callback !== 'function') return;
      const signal = options && options.signal;
      if (signal && signal.aborted) return;
      const state = this[kState];
      if (state.question !== null) {
        this.prompt();
        return;
      }
      state.savedPrompt = state.prompt;
      state.prompt = String(query);
      state.question = callback;
      if (signal && typeof signal.addEventListener === 'function') {
        signal.addEventListener('abort', () => {
          if (state.question === callback) {
            state.question = null;
            state.prompt = state.savedPrompt;
            state.savedPrompt = null;
          }
        }, { once: true });
      }
      this.prompt();
    }

    write(data) {
      if (this.closed) throw useAfterClose();
      if (this.paused) this.resume();
      if (typeof data === 'string') this._feed(data);
    }

    pause() {
      if (this.paused) return this;
      if (typeof this.input.pause === 'function') this.input.pause();
      this.paused = true;
      this.emit('pause');
      return this;
    }

    resume() {
      if (!this.paused) return this;
      if (typeof this.input.resume === 'function') this.input.resume();
      this.paused = false;
      this.emit('resume');
      return this;
    }

    close() {
      if (this.closed) return;
      const state = this[kState];
      this.pause();
      this.input.removeListener('data', state.onData);
      this.input.removeListener('end', state.onEnd);
      this.input.removeListener('error', state.onError);
      this.closed = true;
      this.emit('close');
    }

    getCursorPos() {
      return { rows: 0, cols: this.cursor };
    }

    // Lines as an async iterator; ends when the interface closes (and
    // closes it when the loop stops early).
    [Symbol.asyncIterator]() {
      const state = this[kState];
      if (state.iterator) return state.iterator;
      const queue = [];
      const waiting = [];
      let finished = this.closed;
      let failure = null;
      this.on('line', (line) => {
        if (waiting.length > 0) waiting.shift().resolve({ value: line, done: false });
        else queue.push(line);
      });
      const finish = () => {
        finished = true;
        while (waiting.length > 0) {
          const waiter = waiting.shift();
          if (failure !== null) waiter.reject(failure);
          else waiter.resolve({ value: undefined, done: true });
        }
      };
      this.on('close', finish);
      this.input.on('error', (err) => {
        failure = err;
        finish();
      });
      const rl = this;
      state.iterator = {
        next() {
          if (queue.length > 0) return Promise.resolve({ value: queue.shift(), done: false });
          if (failure !== null) {
            const err = failure;
            failure = null;
            return Promise.reject(err);
          }
          if (finished) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
        },
        return() {
          rl.close();
          return Promise.resolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]() { return this; },
      };
      return state.iterator;
    }
  }

  function createInterface(input, output, completer, terminal) {
    return new Interface(input, output, completer, terminal);
  }

  const CSI = '\u001b[';

  function done(callback) {
    if (typeof callback === 'function') internal.process.nextTick(callback, null);
    return true;
  }
  function cursorTo(stream, x, y, callback) {
    if (callback !== undefined) validateFunction(callback, 'callback');
    if (typeof y === 'function') {
      callback = y;
      y = undefined;
    }
    if (Number.isNaN(x)) throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', "The argument 'x' is invalid. Received NaN");
    if (Number.isNaN(y)) throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE', "The argument 'y' is invalid. Received NaN");
    if (stream == null || (typeof x !== 'number' && typeof y !== 'number')) return done(callback);
    if (typeof x !== 'number') throw codedError(TypeError, 'ERR_INVALID_CURSOR_POS', 'Cannot set cursor row without setting its column');
    const data = typeof y !== 'number' ? `${CSI}${x + 1}G` : `${CSI}${y + 1};${x + 1}H`;
    return stream.write(data, callback);
  }
  function moveCursor(stream, dx, dy, callback) {
    if (callback !== undefined) validateFunction(callback, 'callback');
    if (stream == null || !(dx || dy)) return done(callback);
    let data = '';
    if (dx < 0) data += `${CSI}${-dx}D`;
    else if (dx > 0) data += `${CSI}${dx}C`;
    if (dy < 0) data += `${CSI}${-dy}A`;
    else if (dy > 0) data += `${CSI}${dy}B`;
    return stream.write(data, callback);
  }
  function clearLine(stream, dir, callback) {
    if (callback !== undefined) validateFunction(callback, 'callback');
    if (stream === null || stream === undefined) return done(callback);
    const code = dir < 0 ? '1K' : dir > 0 ? '0K' : '2K';
    return stream.write(CSI + code, callback);
  }
  function clearScreenDown(stream, callback) {
    if (callback !== undefined) validateFunction(callback, 'callback');
    if (stream === null || stream === undefined) return done(callback);
    return stream.write(`${CSI}0J`, callback);
  }
  // Keypress events need a raw TTY, which jsbox does not drive: no-op.
  function emitKeypressEvents() {}

  Object.assign(exports, {
    Interface,
    clearLine,
    clearScreenDown,
    createInterface,
    cursorTo,
    emitKeypressEvents,
    moveCursor,
  });
  Object.defineProperty(exports, 'promises', {
    get() { return require('readline/promises'); },
    enumerable: true,
    configurable: true,
  });
})
