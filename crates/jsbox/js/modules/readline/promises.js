// jsbox built-in module `readline/promises`: readline's Interface whose
// question() returns a promise, and the Readline class (cursor moves queued,
// then written by commit()).
(function (exports, require, module, internal) {
  'use strict';
  const readline = require('readline');

  class Interface extends readline.Interface {
    question(query, options) {
      return new Promise((resolve, reject) => {
        const signal = options && options.signal;
        if (signal && signal.aborted) {
          reject(new DOMException('The operation was aborted', 'AbortError'));
          return;
        }
        super.question(query, options, resolve);
        if (signal && typeof signal.addEventListener === 'function') {
          signal.addEventListener('abort', () => reject(new DOMException('The operation was aborted', 'AbortError')), { once: true });
        }
      });
    }
  }

  function createInterface(input, output, completer, terminal) {
    return new Interface(input, output, completer, terminal);
  }

  const CSI = '\u001b[';
  class Readline {
    #stream;
    #todo = [];
    #autoCommit;
    constructor(stream, options = undefined) {
      if (stream === null || typeof stream !== 'object' || typeof stream.write !== 'function') {
        throw internal.errors.invalidArgType('stream', 'Writable', stream);
      }
      this.#stream = stream;
      this.#autoCommit = !!(options && options.autoCommit);
    }
    #queue(data) {
      if (this.#autoCommit) internal.process.nextTick(() => this.#stream.write(data));
      else this.#todo.push(data);
      return this;
    }
    cursorTo(x, y = undefined) {
      if (typeof x !== 'number' || Number.isNaN(x)) throw internal.errors.invalidArgType('x', 'number', x);
      if (y !== undefined && (typeof y !== 'number' || Number.isNaN(y))) throw internal.errors.invalidArgType('y', 'number', y);
      return this.#queue(y === undefined ? `${CSI}${x + 1}G` : `${CSI}${y + 1};${x + 1}H`);
    }
    moveCursor(dx, dy) {
      if (!dx && !dy) return this;
      let data = '';
      if (dx < 0) data += `${CSI}${-dx}D`;
      else if (dx > 0) data += `${CSI}${dx}C`;
      if (dy < 0) data += `${CSI}${-dy}A`;
      else if (dy > 0) data += `${CSI}${dy}B`;
      return this.#queue(data);
    }
    clearLine(dir) {
      if (typeof dir !== 'number') throw internal.errors.invalidArgType('dir', 'number', dir);
      return this.#queue(CSI + (dir < 0 ? '1K' : dir > 0 ? '0K' : '2K'));
    }
    clearScreenDown() {
      return this.#queue(`${CSI}0J`);
    }
    commit() {
      const data = this.#todo.join('');
      this.#todo = [];
      return new Promise((resolve) => this.#stream.write(data, resolve));
    }
    rollback() {
      this.#todo = [];
      return this;
    }
  }

  Object.assign(exports, { Interface, Readline, createInterface });
})
