(function () {
  'use strict';
  function inspect(v) { if (typeof v === 'string') return "'" + v + "'"; try { return JSON.stringify(v) ?? String(v); } catch (e) { return String(v); } }
  function format(...args) { return args.map((a) => typeof a === 'string' ? a : inspect(a)).join(' '); }
  function formatWithOptions(o, ...args) { return format(...args); }
  return { format, formatWithOptions, inspect };
})
