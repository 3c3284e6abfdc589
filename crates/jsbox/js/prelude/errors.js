// Node's argument-validation errors (a port of lib/internal/errors.js), shared by
// the built-in modules through `internal.errors`; loaded on first use.
(function (host, core) {
  'use strict';
  const inspect = (value, options) => core.util.inspect(value, options);

  const kTypes = ['string', 'function', 'number', 'object', 'Function', 'Object',
    'boolean', 'bigint', 'symbol'];

  const classRegExp = /^[A-Z][a-zA-Z0-9]*$/;

  function formatList(array, type) {
    switch (array.length) {
      case 0: return '';
      case 1: return `${array[0]}`;
      case 2: return `${array[0]} ${type} ${array[1]}`;
      case 3: return `${array[0]}, ${array[1]}, ${type} ${array[2]}`;
      default:
        return `${array.slice(0, -1).join(', ')}, ${type} ${array[array.length - 1]}`;
    }
  }

  function determineSpecificType(value) {
    if (value === null) return 'null';
    if (value === undefined) return 'undefined';
    const type = typeof value;
    switch (type) {
      case 'bigint':
        return `type bigint (${value}n)`;
      case 'number':
        if (value === 0) return 1 / value === -Infinity ? 'type number (-0)' : 'type number (0)';
        if (value !== value) return 'type number (NaN)';
        if (value === Infinity) return 'type number (Infinity)';
        if (value === -Infinity) return 'type number (-Infinity)';
        return `type number (${value})`;
      case 'boolean':
        return value ? 'type boolean (true)' : 'type boolean (false)';
      case 'symbol':
        return `type symbol (${String(value)})`;
      case 'function':
        return `function ${value.name}`;
      case 'object':
        if (value.constructor && 'name' in value.constructor) {
          return `an instance of ${value.constructor.name}`;
        }
        return `${inspect(value, { depth: -1 })}`;
      case 'string':
        if (value.length > 28) value = `${value.slice(0, 25)}...`;
        if (value.indexOf("'") === -1) return `type string ('${value}')`;
        return `type string (${JSON.stringify(value)})`;
      default:
        value = inspect(value, { colors: false });
        if (value.length > 28) value = `${value.slice(0, 25)}...`;
        return `type ${type} (${value})`;
    }
  }

  function codedError(Ctor, code, message) {
    const err = new Ctor(message);
    err.code = code;
    return err;
  }

  function invalidArgType(name, expected, actual) {
    if (!Array.isArray(expected)) expected = [expected];
    let msg = 'The ';
    if (name.endsWith(' argument')) {
      msg += `${name} `;
    } else {
      msg += `"${name}" ${name.includes('.') ? 'property' : 'argument'} `;
    }
    msg += 'must be ';
    const types = [];
    const instances = [];
    const other = [];
    for (const value of expected) {
      if (kTypes.includes(value)) types.push(value.toLowerCase());
      else if (classRegExp.test(value)) instances.push(value);
      else other.push(value);
    }
    if (instances.length > 0) {
      const pos = types.indexOf('object');
      if (pos !== -1) {
        types.splice(pos, 1);
        instances.push('Object');
      }
    }
    if (types.length > 0) {
      msg += `${types.length > 1 ? 'one of type' : 'of type'} ${formatList(types, 'or')}`;
      if (instances.length > 0 || other.length > 0) msg += ' or ';
    }
    if (instances.length > 0) {
      msg += `an instance of ${formatList(instances, 'or')}`;
      if (other.length > 0) msg += ' or ';
    }
    if (other.length > 0) {
      if (other.length > 1) {
        msg += `one of ${formatList(other, 'or')}`;
      } else {
        if (other[0].toLowerCase() !== other[0]) msg += 'an ';
        msg += `${other[0]}`;
      }
    }
    msg += `. Received ${determineSpecificType(actual)}`;
    return codedError(TypeError, 'ERR_INVALID_ARG_TYPE', msg);
  }

  function addNumericalSeparator(val) {
    let res = '';
    let i = val.length;
    const start = val[0] === '-' ? 1 : 0;
    for (; i >= start + 4; i -= 3) {
      res = `_${val.slice(i - 3, i)}${res}`;
    }
    return `${val.slice(0, i)}${res}`;
  }

  function outOfRange(name, range, input) {
    let received;
    if (Number.isInteger(input) && Math.abs(input) > 2 ** 32) {
      received = addNumericalSeparator(String(input));
    } else {
      received = inspect(input);
    }
    return codedError(RangeError, 'ERR_OUT_OF_RANGE',
      `The value of "${name}" is out of range. It must be ${range}. Received ${received}`);
  }

  function validateNumber(value, name, min) {
    if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
    if ((min != null && value < min) || (min != null && Number.isNaN(value))) {
      throw outOfRange(name, `>= ${min}`, value);
    }
  }

  function validateBoolean(value, name) {
    if (typeof value !== 'boolean') throw invalidArgType(name, 'boolean', value);
  }

  function validateString(value, name) {
    if (typeof value !== 'string') throw invalidArgType(name, 'string', value);
  }

  function validateFunction(value, name) {
    if (typeof value !== 'function') throw invalidArgType(name, 'Function', value);
  }

  function validateObject(value, name) {
    if (value === null || Array.isArray(value) || typeof value !== 'object') {
      throw invalidArgType(name, 'Object', value);
    }
  }

  return {
    formatList, determineSpecificType, codedError, invalidArgType, addNumericalSeparator,
    outOfRange, validateNumber, validateBoolean, validateString, validateFunction, validateObject,
  };
})
