// tty: isatty(fd), and the ReadStream / WriteStream classes that
// process.stdin, process.stdout and process.stderr are instances of.
// Differences from Node: the classes are not net.Socket subclasses; a
// WriteStream writes through the runtime's console sink and only for fd 1
// and 2; isatty answers for 0, 1 and 2 only (other descriptors are the
// host's), and 1 and 2 are terminals only when the console sink says so.
(function (exports, require, module, internal) {
  'use strict';
  const processChunk = internal.processChunk;

  function isatty(fd) {
    return Number.isInteger(fd) && fd >= 0 && fd <= 2147483647 && processChunk.isatty(fd);
  }

  // Node refuses what is not a descriptor, and any descriptor that is not a
  // terminal; jsbox makes streams for 0, 1 and 2 only (others are the host's).
  function checkFd(fd) {
    if (!Number.isInteger(fd) || fd < 0 || fd > 2147483647) {
      const err = new RangeError('"fd" must be a positive integer: ' + fd);
      err.code = 'ERR_INVALID_FD';
      throw err;
    }
    if (fd > 2) {
      const err = new Error('TTY initialization failed: uv_tty_init returned EINVAL (invalid argument)');
      err.name = 'SystemError';
      err.code = 'ERR_TTY_INIT_FAILED';
      throw err;
    }
  }

  function ReadStream(fd) {
    if (!new.target) return new ReadStream(fd);
    checkFd(fd);
    return Reflect.construct(processChunk.ReadStream, [fd], new.target);
  }
  ReadStream.prototype = processChunk.ReadStream.prototype;
  Object.defineProperty(ReadStream, Symbol.hasInstance, {
    value: (value) => value instanceof processChunk.ReadStream,
  });

  function WriteStream(fd) {
    if (!new.target) return new WriteStream(fd);
    checkFd(fd);
    return Reflect.construct(processChunk.WriteStream, [fd], new.target);
  }
  WriteStream.prototype = processChunk.WriteStream.prototype;
  Object.defineProperty(WriteStream, Symbol.hasInstance, {
    value: (value) => value instanceof processChunk.WriteStream,
  });

  exports.isatty = isatty;
  exports.ReadStream = ReadStream;
  exports.WriteStream = WriteStream;
})
