// querystring: a port of Node 20's lib/querystring.js and
// lib/internal/querystring.js (Node.js is MIT licensed, Copyright Joyent,
// Inc. and other Node contributors).
//
// Difference from Node: unescapeBuffer returns a Buffer when the buffer
// module is there, else a Uint8Array (unescape decodes either as UTF-8).
(function (exports, require, module, internal) {
  'use strict';
  const { decodeUtf8 } = internal.binding('encoding');
  const Uint8ArrayCtor = Uint8Array;
  const Uint8ArrayPrototype = Uint8Array.prototype;
  const getPrototypeOf = Object.getPrototypeOf;
  const objectKeys = Object.keys;
  const isArray = Array.isArray;
  const numberIsFinite = Number.isFinite;
  const mathAbs = Math.abs;
  const decodeURIComponentFn = decodeURIComponent;

  const hexTable = new Array(256);
  for (let i = 0; i < 256; ++i) hexTable[i] = '%' + ((i < 16 ? '0' : '') + i.toString(16)).toUpperCase();

  // 1 for the characters that are hex digits.
  const isHexTable = new Int8Array(256);
  for (const c of '0123456789ABCDEFabcdef') isHexTable[c.charCodeAt(0)] = 1;

  // The value of each hex digit, -1 for any other character.
  const unhexTable = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) unhexTable[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    unhexTable[65 + i] = 10 + i;
    unhexTable[97 + i] = 10 + i;
  }

  // Characters escape() leaves alone: ! - . _ ~ ' ( ) * digits letters.
  const noEscape = new Int8Array(128);
  for (const c of "!-._~'()*0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
    noEscape[c.charCodeAt(0)] = 1;
  }

  function invalidUri() {
    const err = new URIError('URI malformed');
    err.code = 'ERR_INVALID_URI';
    return err;
  }

  function encodeStr(str, noEscapeTable, hexTable) {
    const len = str.length;
    if (len === 0) return '';
    let out = '';
    let lastPos = 0;
    let i = 0;
    outer:
    for (; i < len; i++) {
      let c = str.charCodeAt(i);
      // ASCII
      while (c < 0x80) {
        if (noEscapeTable[c] !== 1) {
          if (lastPos < i) out += str.slice(lastPos, i);
          lastPos = i + 1;
          out += hexTable[c];
        }
        if (++i === len) break outer;
        c = str.charCodeAt(i);
      }
      if (lastPos < i) out += str.slice(lastPos, i);
      // Multi-byte characters ...
      if (c < 0x800) {
        lastPos = i + 1;
        out += hexTable[0xC0 | (c >> 6)] + hexTable[0x80 | (c & 0x3F)];
        continue;
      }
      if (c < 0xD800 || c >= 0xE000) {
        lastPos = i + 1;
        out += hexTable[0xE0 | (c >> 12)] + hexTable[0x80 | ((c >> 6) & 0x3F)] +
          hexTable[0x80 | (c & 0x3F)];
        continue;
      }
      // Surrogate pair
      ++i;
      if (i >= len) throw invalidUri();
      const c2 = str.charCodeAt(i) & 0x3FF;
      lastPos = i + 1;
      c = 0x10000 + (((c & 0x3FF) << 10) | c2);
      out += hexTable[0xF0 | (c >> 18)] + hexTable[0x80 | ((c >> 12) & 0x3F)] +
        hexTable[0x80 | ((c >> 6) & 0x3F)] + hexTable[0x80 | (c & 0x3F)];
    }
    if (lastPos === 0) return str;
    if (lastPos < len) return out + str.slice(lastPos);
    return out;
  }

  function bufferClass() {
    try {
      const buffer = internal.buffer;
      const B = buffer && buffer.Buffer;
      return typeof B === 'function' && typeof B.from === 'function' ? B : undefined;
    } catch {
      return undefined;
    }
  }

  // A safe fast alternative to decodeURIComponent: each character is one
  // byte (its low eight bits), %XX a decoded byte, a malformed % kept.
  function unescapeBuffer(s, decodeSpaces) {
    const out = new Uint8ArrayCtor(s.length);
    let index = 0;
    let outIndex = 0;
    let currentChar;
    let nextChar;
    let hexHigh;
    let hexLow;
    const maxLength = s.length - 2;
    // Flag to know if some hex chars have been decoded
    let hasHex = false;
    while (index < s.length) {
      currentChar = s.charCodeAt(index);
      if (currentChar === 43 /* '+' */ && decodeSpaces) {
        out[outIndex++] = 32; // ' '
        index++;
        continue;
      }
      if (currentChar === 37 /* '%' */ && index < maxLength) {
        currentChar = s.charCodeAt(++index);
        hexHigh = unhexTable[currentChar];
        if (!(hexHigh >= 0)) {
          out[outIndex++] = 37; // '%'
          continue;
        } else {
          nextChar = s.charCodeAt(++index);
          hexLow = unhexTable[nextChar];
          if (!(hexLow >= 0)) {
            out[outIndex++] = 37; // '%'
            index--;
          } else {
            hasHex = true;
            currentChar = hexHigh * 16 + hexLow;
          }
        }
      }
      out[outIndex++] = currentChar;
      index++;
    }
    const bytes = hasHex ? out.slice(0, outIndex) : out;
    const B = bufferClass();
    return B === undefined ? bytes : B.from(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  function qsUnescape(s, decodeSpaces) {
    try {
      return decodeURIComponentFn(s);
    } catch {
      const bytes = QueryString.unescapeBuffer(s, decodeSpaces);
      // A Uint8Array's toString lists its numbers: decode it as a Buffer would.
      if (bytes !== null && typeof bytes === 'object' && getPrototypeOf(bytes) === Uint8ArrayPrototype) {
        return decodeUtf8(bytes, true, false);
      }
      return bytes.toString();
    }
  }

  function qsEscape(str) {
    if (typeof str !== 'string') {
      if (typeof str === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
      if (typeof str === 'object') str = String(str);
      else str += '';
    }
    return encodeStr(str, noEscape, hexTable);
  }

  function stringifyPrimitive(v) {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && numberIsFinite(v)) return '' + v;
    if (typeof v === 'bigint') return '' + v;
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return '';
  }

  function encodeStringified(v, encode) {
    if (typeof v === 'string') return (v.length ? encode(v) : '');
    if (typeof v === 'number' && numberIsFinite(v)) {
      // Values >= 1e21 switch to scientific notation, whose '+' needs escaping.
      return (mathAbs(v) < 1e21 ? '' + v : encode('' + v));
    }
    if (typeof v === 'bigint') return '' + v;
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return '';
  }

  function encodeStringifiedCustom(v, encode) {
    return encode(stringifyPrimitive(v));
  }

  function stringify(obj, sep, eq, options) {
    sep = sep || '&';
    eq = eq || '=';
    let encode = QueryString.escape;
    if (options && typeof options.encodeURIComponent === 'function') {
      encode = options.encodeURIComponent;
    }
    const convert = (encode === qsEscape ? encodeStringified : encodeStringifiedCustom);
    if (obj !== null && typeof obj === 'object') {
      const keys = objectKeys(obj);
      const len = keys.length;
      let fields = '';
      for (let i = 0; i < len; ++i) {
        const k = keys[i];
        const v = obj[k];
        let ks = convert(k, encode);
        ks += eq;
        if (isArray(v)) {
          const vlen = v.length;
          if (vlen === 0) continue;
          if (fields) fields += sep;
          for (let j = 0; j < vlen; ++j) {
            if (j) fields += sep;
            fields += ks;
            fields += convert(v[j], encode);
          }
        } else {
          if (fields) fields += sep;
          fields += ks;
          fields += convert(v, encode);
        }
      }
      return fields;
    }
    return '';
  }

  function charCodes(str) {
    if (str.length === 0) return [];
    if (str.length === 1) return [str.charCodeAt(0)];
    const ret = new Array(str.length);
    for (let i = 0; i < str.length; ++i) ret[i] = str.charCodeAt(i);
    return ret;
  }
  const defSepCodes = [38]; // &
  const defEqCodes = [61]; // =

  function addKeyVal(obj, key, value, keyEncoded, valEncoded, decode) {
    if (key.length > 0 && keyEncoded) key = decodeStr(key, decode);
    if (value.length > 0 && valEncoded) value = decodeStr(value, decode);
    if (obj[key] === undefined) {
      obj[key] = value;
    } else {
      const curValue = obj[key];
      // Only arrays made here have `pop`: the values are all strings.
      if (curValue.pop) curValue[curValue.length] = value;
      else obj[key] = [curValue, value];
    }
  }

  function parse(qs, sep, eq, options) {
    const obj = { __proto__: null };
    if (typeof qs !== 'string' || qs.length === 0) return obj;

    const sepCodes = (!sep ? defSepCodes : charCodes(String(sep)));
    const eqCodes = (!eq ? defEqCodes : charCodes(String(eq)));
    const sepLen = sepCodes.length;
    const eqLen = eqCodes.length;

    let pairs = 1000;
    if (options && typeof options.maxKeys === 'number') {
      // -1 stands for "unlimited": `pairs` is only ever decremented and
      // compared with 0.
      pairs = (options.maxKeys > 0 ? options.maxKeys : -1);
    }

    let decode = QueryString.unescape;
    if (options && typeof options.decodeURIComponent === 'function') {
      decode = options.decodeURIComponent;
    }
    const customDecode = (decode !== qsUnescape);

    let lastPos = 0;
    let sepIdx = 0;
    let eqIdx = 0;
    let key = '';
    let value = '';
    let keyEncoded = customDecode;
    let valEncoded = customDecode;
    const plusChar = (customDecode ? '%20' : ' ');
    let encodeCheck = 0;
    for (let i = 0; i < qs.length; ++i) {
      const code = qs.charCodeAt(i);

      // Try matching key/value pair separator (e.g. '&')
      if (code === sepCodes[sepIdx]) {
        if (++sepIdx === sepLen) {
          // Key/value pair separator match!
          const end = i - sepIdx + 1;
          if (eqIdx < eqLen) {
            // We didn't find the (entire) key/value separator
            if (lastPos < end) {
              // Treat the substring as part of the key instead of the value
              key += qs.slice(lastPos, end);
            } else if (key.length === 0) {
              // We saw an empty substring between separators
              if (--pairs === 0) return obj;
              lastPos = i + 1;
              sepIdx = eqIdx = 0;
              continue;
            }
          } else if (lastPos < end) {
            value += qs.slice(lastPos, end);
          }

          addKeyVal(obj, key, value, keyEncoded, valEncoded, decode);

          if (--pairs === 0) return obj;
          keyEncoded = valEncoded = customDecode;
          key = value = '';
          encodeCheck = 0;
          lastPos = i + 1;
          sepIdx = eqIdx = 0;
        }
      } else {
        sepIdx = 0;
        // Try matching key/value separator (e.g. '=') if we haven't already
        if (eqIdx < eqLen) {
          if (code === eqCodes[eqIdx]) {
            if (++eqIdx === eqLen) {
              // Key/value separator match!
              const end = i - eqIdx + 1;
              if (lastPos < end) key += qs.slice(lastPos, end);
              encodeCheck = 0;
              lastPos = i + 1;
            }
            continue;
          } else {
            eqIdx = 0;
            if (!keyEncoded) {
              // Try to match an (valid) encoded byte once to minimize unnecessary
              // calls to string decoding functions
              if (code === 37/* % */) {
                encodeCheck = 1;
                continue;
              } else if (encodeCheck > 0) {
                if (isHexTable[code] === 1) {
                  if (++encodeCheck === 3) keyEncoded = true;
                  continue;
                } else {
                  encodeCheck = 0;
                }
              }
            }
          }
          if (code === 43/* + */) {
            if (lastPos < i) key += qs.slice(lastPos, i);
            key += plusChar;
            lastPos = i + 1;
            continue;
          }
        }
        if (code === 43/* + */) {
          if (lastPos < i) value += qs.slice(lastPos, i);
          value += plusChar;
          lastPos = i + 1;
        } else if (!valEncoded) {
          // Try to match an (valid) encoded byte (once) to minimize unnecessary
          // calls to string decoding functions
          if (code === 37/* % */) {
            encodeCheck = 1;
          } else if (encodeCheck > 0) {
            if (isHexTable[code] === 1) {
              if (++encodeCheck === 3) valEncoded = true;
            } else {
              encodeCheck = 0;
            }
          }
        }
      }
    }

    // Deal with any leftover key or value data
    if (lastPos < qs.length) {
      if (eqIdx < eqLen) key += qs.slice(lastPos);
      else if (sepIdx < sepLen) value += qs.slice(lastPos);
    } else if (eqIdx === 0 && key.length === 0) {
      // We ended on an empty substring
      return obj;
    }

    addKeyVal(obj, key, value, keyEncoded, valEncoded, decode);

    return obj;
  }

  function decodeStr(s, decoder) {
    try {
      return decoder(s);
    } catch {
      return QueryString.unescape(s, true);
    }
  }

  const QueryString = module.exports = {
    unescapeBuffer,
    // `unescape()` is a JS global, so we need to use a different local name
    unescape: qsUnescape,
    // `escape()` is a JS global, so we need to use a different local name
    escape: qsEscape,
    stringify,
    encode: stringify,
    parse,
    decode: parse,
  };
})
