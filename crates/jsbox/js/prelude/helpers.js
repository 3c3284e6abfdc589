// What the other chunks share: util.format/inspect (themselves loaded on
// first use: many runtimes never print), Node's "Received ..." wording, coded
// errors, and console output with console.group's indentation. Added to the
// core's shared object when the first chunk loads (core.js `helpers`), not
// when a runtime is made.
(function (host, core) {
  'use strict';

  let inspectImpl;
  function loadInspect() {
    return inspectImpl || (inspectImpl = host.loadInspect()());
  }

  // What util.format makes of a primitive that is not a string (strings are
  // written as they are), as util.inspect would.
  function formatPrimitive(value) {
    if (typeof value === 'number') return value === 0 && 1 / value < 0 ? '-0' : `${value}`;
    if (typeof value === 'bigint') return `${value}n`;
    return String(value); // boolean, undefined, null, symbol
  }
  // util.format without util.inspect when every argument is a primitive and
  // no format specifier needs reading: most console output. The inspect code
  // is large; a runtime loads it only when it prints an object.
  function format(...args) {
    const count = args.length;
    const first = args[0];
    if (count > 1 && typeof first === 'string' && first.includes('%')) {
      return loadInspect().format(...args);
    }
    let text = '';
    for (let i = 0; i < count; i++) {
      const value = args[i];
      const type = typeof value;
      if ((type === 'object' && value !== null) || type === 'function') {
        return loadInspect().format(...args);
      }
      const piece = type === 'string' ? value : formatPrimitive(value);
      text += i === 0 ? piece : ' ' + piece;
    }
    return text;
  }
  const util = {
    format,
    get formatWithOptions() { return loadInspect().formatWithOptions; },
    get inspect() { return loadInspect().inspect; },
  };

  // "Received ..." as in Node's ERR_INVALID_ARG_TYPE messages.
  function describe(value) {
    return 'Received ' + core.load('errors').determineSpecificType(value);
  }

  function codedError(Ctor, code, message) {
    const err = new Ctor(message);
    err.code = code;
    return err;
  }

  // console output, indented by console.group.
  let groupIndent = '';
  function emit(toStderr, text) {
    if (groupIndent) text = groupIndent + text.split('\n').join('\n' + groupIndent);
    host.print(toStderr, text);
  }
  function indent(by) {
    groupIndent = by > 0 ? groupIndent + ' '.repeat(by) : groupIndent.slice(-by);
  }

  return { __proto__: null, util, describe, codedError, emit, indent };
})
