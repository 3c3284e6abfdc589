// database: SQLite with one connection per runtime. Positional `?` parameters;
// an array argument is spread, like the reference system did.
(function (exports, require, module, internal) {
  'use strict';
  const binding = internal.binding('database');

  const { validateString } = internal.errors;
  const checkSql = (sql) => validateString(sql, 'sql');

  function flatten(args) {
    return args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  }

  exports.configure = function configure(driver, dsn) {
    if (typeof driver !== 'string' || typeof dsn !== 'string') {
      const err = new TypeError('configure(driver, dsn) takes two strings, e.g. configure(\'sqlite3\', \'app.db\')');
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    binding.configure(driver, dsn); // the binding applies the root policy
  };
  // BLOBs come back as Buffers. The Buffer code is loaded only when a result
  // holds one (or it is loaded already): most queries never need it.
  let bufferPrototype;
  exports.query = function query(sql, ...args) {
    checkSql(sql);
    const [rows, blobs] = binding.query(sql, flatten(args), bufferPrototype);
    if (blobs > 0 && bufferPrototype === undefined) {
      bufferPrototype = internal.buffer.Buffer.prototype;
      for (const row of rows) {
        for (const key of Object.keys(row)) {
          const value = row[key];
          if (value instanceof Uint8Array) Object.setPrototypeOf(value, bufferPrototype);
        }
      }
    }
    return rows;
  };
  exports.exec = function exec(sql, ...args) {
    checkSql(sql);
    return binding.exec(sql, flatten(args));
  };
  exports.close = function close() {
    return binding.close();
  };
})
