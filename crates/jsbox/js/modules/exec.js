// exec: run a program directly (never through a shell) and return its combined
// stdout and stderr; a non-zero exit throws an Error carrying the exit code and
// the output.
(function (exports, require, module, internal) {
  'use strict';
  const binding = internal.binding('exec');

  const { invalidArgType } = internal.errors;

  function run(cmd, args, options) {
    if (typeof cmd !== 'string' || cmd === '') throw invalidArgType('cmd', 'string', cmd);
    if (args === undefined || args === null) args = [];
    if (!Array.isArray(args)) throw invalidArgType('args', 'Array', args);
    args = args.map(String);
    const o = options === undefined || options === null ? {} : options;
    if (typeof o !== 'object') throw invalidArgType('options', 'object', options);
    if (o.cwd !== undefined && typeof o.cwd !== 'string') throw invalidArgType('options.cwd', 'string', o.cwd);
    if (o.env !== undefined && (typeof o.env !== 'object' || o.env === null)) throw invalidArgType('options.env', 'object', o.env);
    if (o.input !== undefined && typeof o.input !== 'string') throw invalidArgType('options.input', 'string', o.input);
    if (o.timeoutMs !== undefined && typeof o.timeoutMs !== 'number') throw invalidArgType('options.timeoutMs', 'number', o.timeoutMs);
    const result = binding.run(cmd, args, {
      cwd: o.cwd, env: o.env, input: o.input, timeoutMs: o.timeoutMs,
    });
    if (result.timedOut) {
      const err = new Error('Command timed out after ' + o.timeoutMs + 'ms: ' + [cmd, ...args].join(' '));
      Object.assign(err, { code: 'ETIMEDOUT', output: result.output, signal: result.signal });
      throw err;
    }
    if (result.status !== 0) {
      const how = result.status === null ? 'was killed by signal ' + result.signal : 'exited with code ' + result.status;
      const err = new Error('Command failed: ' + [cmd, ...args].join(' ') + ' ' + how +
        (result.output ? '\n' + result.output : ''));
      Object.assign(err, { code: result.status, status: result.status, signal: result.signal, output: result.output });
      throw err;
    }
    return result.output;
  }

  exports.run = run;
})
