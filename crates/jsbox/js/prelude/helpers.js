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
  const util = {
    get format() { return loadInspect().format; },
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
