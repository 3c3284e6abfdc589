// jsbox built-in module `perf_hooks`: the `performance` global (the same
// object) with Node's User Timing API added (mark, measure, getEntries*,
// clearMarks/clearMeasures, toJSON), the entry classes and a basic
// PerformanceObserver for 'mark' and 'measure' entries.
(function (exports, require, module, internal) {
  'use strict';
  const { codedError, invalidArgType } = internal.errors;
  // The global, unless a script replaced or froze it: then an object of
  // the module's own, with the same clock as far as it can be had.
  let performance = globalThis.performance;
  if (performance === null || typeof performance !== 'object' || typeof performance.now !== 'function' ||
      !Object.isExtensible(performance)) {
    const engine = performance !== null && typeof performance === 'object' && typeof performance.now === 'function'
      ? performance : null;
    const start = Date.now();
    performance = engine !== null
      ? { now: () => engine.now(), timeOrigin: engine.timeOrigin }
      : { now: () => Date.now() - start, timeOrigin: start };
  }
  const now = () => performance.now();

  const kEntry = Symbol('kEntry');
  class PerformanceEntry {
    constructor(key, name, type, start, duration, detail) {
      if (key !== kEntry) throw codedError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
      Object.defineProperties(this, {
        [kEntry]: { value: { name, type, start, duration, detail } },
      });
    }
    get name() { return this[kEntry].name; }
    get entryType() { return this[kEntry].type; }
    get startTime() { return this[kEntry].start; }
    get duration() { return this[kEntry].duration; }
    toJSON() {
      return { name: this.name, entryType: this.entryType, startTime: this.startTime, duration: this.duration };
    }
  }
  class PerformanceMark extends PerformanceEntry {
    constructor(name, options) {
      if (arguments.length === 0) throw codedError(TypeError, 'ERR_MISSING_ARGS', 'The "name" argument must be specified');
      name = `${name}`;
      if (options !== undefined && (options === null || typeof options !== 'object')) {
        throw invalidArgType('options', 'Object', options);
      }
      const start = options && options.startTime !== undefined ? options.startTime : now();
      if (typeof start !== 'number') throw invalidArgType('options.startTime', 'number', start);
      if (start < 0) throw codedError(TypeError, 'ERR_PERFORMANCE_INVALID_TIMESTAMP', `${start} is not a valid timestamp`);
      const detail = options && options.detail !== undefined ? structuredClone(options.detail) : null;
      super(kEntry, name, 'mark', start, 0, detail);
    }
    get detail() { return this[kEntry].detail; }
    get [Symbol.toStringTag]() { return 'PerformanceMark'; }
    toJSON() { return { ...super.toJSON(), detail: this.detail }; }
  }
  class PerformanceMeasure extends PerformanceEntry {
    constructor(key, name, start, duration, detail) {
      super(key, name, 'measure', start, duration, detail);
    }
    get detail() { return this[kEntry].detail; }
    get [Symbol.toStringTag]() { return 'PerformanceMeasure'; }
    toJSON() { return { ...super.toJSON(), detail: this.detail }; }
  }

  let entries = [];
  const observers = new Set();
  function record(entry) {
    entries.push(entry);
    for (const observer of observers) observer._queue(entry);
  }
  function sorted(list) {
    return list.slice().sort((a, b) => a.startTime - b.startTime);
  }
  function markTime(name, what) {
    if (typeof name === 'number') {
      if (name < 0) throw codedError(TypeError, 'ERR_PERFORMANCE_INVALID_TIMESTAMP', `${name} is not a valid timestamp`);
      return name;
    }
    name = `${name}`;
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i].entryType === 'mark' && entries[i].name === name) return entries[i].startTime;
    }
    throw new DOMException(`The "${name}" performance mark has not been set`, 'SyntaxError');
  }

  const methods = {
    mark(name, options) {
      const mark = new PerformanceMark(...arguments);
      record(mark);
      return mark;
    },
    measure(name, startOrOptions, endMark) {
      if (arguments.length === 0) throw codedError(TypeError, 'ERR_MISSING_ARGS', 'The "name" argument must be specified');
      name = `${name}`;
      let start = 0;
      let end;
      let detail = null;
      if (startOrOptions !== null && typeof startOrOptions === 'object') {
        const o = startOrOptions;
        if (o.start !== undefined) start = markTime(o.start, 'start');
        if (o.end !== undefined) end = markTime(o.end, 'end');
        else if (o.duration !== undefined) end = start + o.duration;
        if (o.start === undefined && o.duration !== undefined && o.end !== undefined) start = end - o.duration;
        if (o.detail !== undefined) detail = structuredClone(o.detail);
      } else if (startOrOptions !== undefined) {
        start = markTime(startOrOptions, 'start');
      }
      if (endMark !== undefined) end = markTime(endMark, 'end');
      if (end === undefined) end = now();
      const measure = new PerformanceMeasure(kEntry, name, start, end - start, detail);
      record(measure);
      return measure;
    },
    getEntries() { return sorted(entries); },
    getEntriesByName(name, type) {
      name = `${name}`;
      return sorted(entries.filter((e) => e.name === name && (type === undefined || e.entryType === type)));
    },
    getEntriesByType(type) {
      type = `${type}`;
      return sorted(entries.filter((e) => e.entryType === type));
    },
    clearMarks(name) {
      entries = entries.filter((e) => e.entryType !== 'mark' || (name !== undefined && e.name !== `${name}`));
    },
    clearMeasures(name) {
      entries = entries.filter((e) => e.entryType !== 'measure' || (name !== undefined && e.name !== `${name}`));
    },
    clearResourceTimings() {},
    setResourceTimingBufferSize() {},
    eventLoopUtilization() { return { idle: 0, active: 0, utilization: 0 }; },
    timerify(fn) {
      if (typeof fn !== 'function') throw invalidArgType('fn', 'Function', fn);
      return fn;
    },
    toJSON() {
      return { nodeTiming: {}, timeOrigin: this.timeOrigin, eventLoopUtilization: this.eventLoopUtilization() };
    },
  };
  // (timeOrigin is Unix time already: src/engine_quirks.rs.) Added once per
  // runtime to the global object, so
  // `performance` and `require('perf_hooks').performance` are one object.
  // The class of `performance`, which only the runtime makes.
  class Performance {
    constructor() { throw codedError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor'); }
    get [Symbol.toStringTag]() { return 'Performance'; }
  }
  if (typeof performance.mark !== 'function') {
    if (Object.getPrototypeOf(performance) === Object.prototype) Object.setPrototypeOf(performance, Performance.prototype);
    for (const name of Object.keys(methods)) {
      Object.defineProperty(performance, name, { value: methods[name], writable: true, enumerable: true, configurable: true });
    }
  }

  class PerformanceObserverEntryList {
    constructor(key, list) {
      if (key !== kEntry) throw codedError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
      this[kEntry] = list;
    }
    getEntries() { return sorted(this[kEntry]); }
    getEntriesByType(type) { return sorted(this[kEntry].filter((e) => e.entryType === `${type}`)); }
    getEntriesByName(name, type) {
      return sorted(this[kEntry].filter((e) => e.name === `${name}` && (type === undefined || e.entryType === type)));
    }
  }
  const supported = ['mark', 'measure'];
  class PerformanceObserver {
    #callback;
    #types = new Set();
    #buffer = [];
    #scheduled = false;
    constructor(callback) {
      if (typeof callback !== 'function') throw invalidArgType('callback', 'Function', callback);
      this.#callback = callback;
    }
    static get supportedEntryTypes() { return supported.slice(); }
    observe(options = {}) {
      if (options === null || typeof options !== 'object') throw invalidArgType('options', 'Object', options);
      const types = options.entryTypes !== undefined ? options.entryTypes : [options.type];
      if (!Array.isArray(types)) throw invalidArgType('options.entryTypes', 'string[]', types);
      for (const type of types) if (supported.includes(type)) this.#types.add(type);
      if (this.#types.size > 0) observers.add(this);
      if (options.buffered) for (const e of entries) this._queue(e);
    }
    disconnect() {
      observers.delete(this);
      this.#types.clear();
      this.#buffer = [];
    }
    takeRecords() {
      const list = this.#buffer;
      this.#buffer = [];
      return list;
    }
    _queue(entry) {
      if (!this.#types.has(entry.entryType)) return;
      this.#buffer.push(entry);
      if (this.#scheduled) return;
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        const list = this.takeRecords();
        if (list.length > 0) this.#callback(new PerformanceObserverEntryList(kEntry, list), this);
      });
    }
  }

  Object.assign(exports, {
    Performance,
    PerformanceEntry,
    PerformanceMark,
    PerformanceMeasure,
    PerformanceObserver,
    PerformanceObserverEntryList,
    performance,
    constants: {
      NODE_PERFORMANCE_GC_MAJOR: 4,
      NODE_PERFORMANCE_GC_MINOR: 1,
      NODE_PERFORMANCE_GC_INCREMENTAL: 8,
      NODE_PERFORMANCE_GC_WEAKCB: 16,
      NODE_PERFORMANCE_GC_FLAGS_NO: 0,
      NODE_PERFORMANCE_GC_FLAGS_CONSTRUCT_RETAINED: 2,
      NODE_PERFORMANCE_GC_FLAGS_FORCED: 4,
      NODE_PERFORMANCE_GC_FLAGS_SYNCHRONOUS_PHANTOM_PROCESSING: 8,
      NODE_PERFORMANCE_GC_FLAGS_ALL_AVAILABLE_GARBAGE: 16,
      NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY: 32,
      NODE_PERFORMANCE_GC_FLAGS_SCHEDULE_IDLE: 64,
    },
  });
})
