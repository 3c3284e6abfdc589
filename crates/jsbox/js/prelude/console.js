// The `console` global, loaded on first use.
(function (host, core) {
  'use strict';
  const { util, emit } = core;

  // Keyed by label (always a string). Objects without a prototype rather
  // than Maps: loading console then adds no Map built-ins to the runtime,
  // and no method a script replaced is called.
  const counts = { __proto__: null };
  const timers = { __proto__: null };

  function formatDuration(ms) {
    if (ms >= 60000) return (ms / 60000).toFixed(3) + 'min';
    if (ms >= 1000) return (ms / 1000).toFixed(3) + 's';
    return ms.toFixed(3) + 'ms';
  }

  // Drops the frames of this prelude from a stack string.
  function userFrames(stack) {
    return String(stack || '').split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('(jsbox:'))
      .join('\n');
  }

  const console = {
    log(...args) { emit(false, util.format(...args)); },
    info(...args) { emit(false, util.format(...args)); },
    debug(...args) { emit(false, util.format(...args)); },
    warn(...args) { emit(true, util.format(...args)); },
    error(...args) { emit(true, util.format(...args)); },
    dir(value, options) { emit(false, util.inspect(value, Object.assign({ customInspect: false }, options))); },
    trace(...args) {
      const frames = userFrames(new Error().stack);
      emit(true, 'Trace' + (args.length ? ': ' + util.format(...args) : '') + (frames ? '\n' + frames : ''));
    },
    assert(condition, ...args) {
      if (condition) return;
      if (args.length === 0) emit(true, 'Assertion failed');
      else if (typeof args[0] === 'string') emit(true, 'Assertion failed: ' + util.format(...args));
      else emit(true, 'Assertion failed ' + util.format(...args));
    },
    count(label = 'default') {
      label = String(label);
      const n = (counts[label] || 0) + 1;
      counts[label] = n;
      emit(false, label + ': ' + n);
    },
    countReset(label = 'default') {
      label = String(label);
      if (label in counts) counts[label] = 0;
      else emit(true, "Count for '" + label + "' does not exist");
    },
    time(label = 'default') {
      label = String(label);
      if (label in timers) {
        emit(true, "Warning: Label '" + label + "' already exists for console.time()");
        return;
      }
      timers[label] = host.now();
    },
    timeEnd(label = 'default') {
      label = String(label);
      const start = timers[label];
      if (start === undefined) {
        emit(true, "Warning: No such label '" + label + "' for console.timeEnd()");
        return;
      }
      delete timers[label];
      emit(false, label + ': ' + formatDuration(host.now() - start));
    },
    timeLog(label = 'default', ...data) {
      label = String(label);
      const start = timers[label];
      if (start === undefined) {
        emit(true, "Warning: No such label '" + label + "' for console.timeLog()");
        return;
      }
      const extra = data.length ? ' ' + util.format(...data) : '';
      emit(false, label + ': ' + formatDuration(host.now() - start) + extra);
    },
    group(...label) {
      if (label.length) emit(false, util.format(...label));
      core.indent(2);
    },
    groupEnd() {
      core.indent(-2);
    },
    table(data) { emit(false, util.format(data)); },
  };
  console.groupCollapsed = console.group;


  return { console };
})
