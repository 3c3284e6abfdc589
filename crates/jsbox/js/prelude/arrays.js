// Array.prototype.find, findIndex, findLast and findLastIndex, as the
// specification defines them. QuickJS-ng's own free the current element twice
// when its time-limit interrupt lands between two iterations (a heap
// corruption any script with a deadline could cause); being bytecode, these
// are interrupted safely. Loaded by the core, before any script runs, in
// runtimes with a time limit and in every heap image.
(function replaceArrayFind() {
  'use strict';
  const reflectApply = Reflect.apply;
  const floor = Math.floor;
  const MAX_LENGTH = 2 ** 53 - 1;
  function toObject(value, name) {
    if (value === null || value === undefined) {
      throw new TypeError('Array.prototype.' + name + ' called on null or undefined');
    }
    return Object(value);
  }
  function lengthOf(object) {
    const n = +object.length;
    if (!(n > 0)) return 0;
    return n >= MAX_LENGTH ? MAX_LENGTH : floor(n);
  }
  // One loop for the four: forwards or backwards, returning the element or
  // its index.
  function search(self, name, predicate, thisArg, backwards, wantIndex) {
    const object = toObject(self, name);
    const length = lengthOf(object);
    if (typeof predicate !== 'function') throw new TypeError('not a function');
    const step = backwards ? -1 : 1;
    for (let k = backwards ? length - 1 : 0; backwards ? k >= 0 : k < length; k += step) {
      const value = object[k];
      if (reflectApply(predicate, thisArg, [value, k, object])) return wantIndex ? k : value;
    }
    return wantIndex ? -1 : undefined;
  }
  const methods = {
    find(predicate, thisArg) { return search(this, 'find', predicate, thisArg, false, false); },
    findIndex(predicate, thisArg) { return search(this, 'findIndex', predicate, thisArg, false, true); },
    findLast(predicate, thisArg) { return search(this, 'findLast', predicate, thisArg, true, false); },
    findLastIndex(predicate, thisArg) { return search(this, 'findLastIndex', predicate, thisArg, true, true); },
  };
  for (const name of Object.keys(methods)) {
    const method = methods[name];
    Object.defineProperty(method, 'length', { value: 1 });
    Object.defineProperty(Array.prototype, name, {
      value: method, writable: true, configurable: true, enumerable: false,
    });
  }
})
