// url: Node's `url` module. URL and URLSearchParams are the prelude chunk
// js/prelude/url.js (the same objects as the globals); the legacy API
// (parse, resolve, resolveObject, format of a url object) follows Node 20's
// documented behaviour of lib/url.js, checked against Node on
// tests/fixtures/url.
(function (exports, require, module, internal) {
  'use strict';
  const chunk = internal.url;
  const { URL, URLSearchParams, binding, toUSVString, invalidUrl, MAX_INPUT } = chunk;
  const { codedError, invalidArgType } = internal.errors;
  const path = require('path');
  const querystring = require('querystring');

  // ---- WHATWG helpers ----

  function isURL(value) {
    return value != null && typeof value === 'object' && typeof value.href === 'string' &&
      typeof value.protocol === 'string' && value.auth === undefined && value.path === undefined;
  }

  function domainToASCII(domain) {
    if (arguments.length < 1) throw chunk.missingArgs('domain');
    domain = toUSVString(domain);
    if (domain.length > MAX_INPUT) return '';
    return binding.domainToASCII(domain);
  }

  function domainToUnicode(domain) {
    if (arguments.length < 1) throw chunk.missingArgs('domain');
    domain = toUSVString(domain);
    if (domain.length > MAX_INPUT) return '';
    return binding.domainToUnicode(domain);
  }

  function fileURLToPath(input) {
    let url = input;
    if (typeof url === 'string') url = new URL(url);
    else if (!isURL(url)) throw invalidArgType('path', ['string', 'URL'], url);
    if (url.protocol !== 'file:') {
      throw codedError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
    }
    if (url.hostname !== '') {
      throw codedError(TypeError, 'ERR_INVALID_FILE_URL_HOST',
        'File URL host must be "localhost" or empty on linux');
    }
    const pathname = url.pathname;
    for (let n = 0; n < pathname.length; n++) {
      if (pathname[n] === '%') {
        const third = pathname.codePointAt(n + 2) | 0x20;
        if (pathname[n + 1] === '2' && third === 102) {
          throw codedError(TypeError, 'ERR_INVALID_FILE_URL_PATH',
            'File URL path must not include encoded / characters');
        }
      }
    }
    return decodeURIComponent(pathname);
  }

  function encodePathChars(filepath) {
    if (filepath.includes('%')) filepath = filepath.replace(/%/g, '%25');
    if (filepath.includes('\\')) filepath = filepath.replace(/\\/g, '%5C');
    if (filepath.includes('\n')) filepath = filepath.replace(/\n/g, '%0A');
    if (filepath.includes('\r')) filepath = filepath.replace(/\r/g, '%0D');
    if (filepath.includes('\t')) filepath = filepath.replace(/\t/g, '%09');
    return filepath;
  }

  function pathToFileURL(filepath) {
    if (typeof filepath !== 'string') throw invalidArgType('path', 'string', filepath);
    let resolved = path.resolve(filepath);
    if (filepath.charCodeAt(filepath.length - 1) === 47 && resolved[resolved.length - 1] !== '/') {
      resolved += '/';
    }
    resolved = encodePathChars(resolved);
    if (resolved.includes('?')) resolved = resolved.replace(/\?/g, '%3F');
    if (resolved.includes('#')) resolved = resolved.replace(/#/g, '%23');
    return new URL(`file://${resolved}`);
  }

  function urlToHttpOptions(url) {
    const options = {
      __proto__: null,
      ...url,
      protocol: url.protocol,
      hostname: typeof url.hostname === 'string' && url.hostname.startsWith('[')
        ? url.hostname.slice(1, -1) : url.hostname,
      hash: url.hash,
      search: url.search,
      pathname: url.pathname,
      path: `${url.pathname || ''}${url.search || ''}`,
      href: url.href,
    };
    if (url.port !== '') options.port = Number(url.port);
    if (url.username || url.password) {
      options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    }
    return options;
  }

  // url.format(URL, options)
  function formatURL(url, options) {
    let fragment = true, unicode = false, search = true, auth = true;
    if (options !== undefined) {
      if (options === null || typeof options !== 'object') {
        throw invalidArgType('options', 'Object', options);
      }
      if ('fragment' in options) fragment = Boolean(options.fragment);
      if ('unicode' in options) unicode = Boolean(options.unicode);
      if ('search' in options) search = Boolean(options.search);
      if ('auth' in options) auth = Boolean(options.auth);
    }
    const c = chunk.components(url);
    let out = url.protocol;
    if (c[chunk.AUTHORITY]) {
      out += '//';
      if (auth && (url.username || url.password)) {
        out += url.username;
        if (url.password) out += ':' + url.password;
        out += '@';
      }
      out += unicode ? binding.domainToUnicode(url.hostname) : url.hostname;
      if (url.port) out += ':' + url.port;
    } else if (url.href.startsWith(url.protocol + '//')) {
      out += '//';
    }
    out += url.pathname;
    if (search) out += url.search;
    if (fragment) out += url.hash;
    return out;
  }

  // ---- the legacy API ----

  function Url() {
    this.protocol = null;
    this.slashes = null;
    this.auth = null;
    this.host = null;
    this.port = null;
    this.hostname = null;
    this.hash = null;
    this.search = null;
    this.query = null;
    this.pathname = null;
    this.path = null;
    this.href = null;
  }

  const protocolPattern = /^[a-z0-9.+-]+:/i;
  const portPattern = /:[0-9]*$/;
  const hostPattern = /^\/\/[^@/]+@[^@/]+/;
  const simplePathPattern = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/;
  const hostnameMaxLen = 255;
  const hostlessProtocol = new Set(['javascript', 'javascript:']);
  const unsafeProtocol = hostlessProtocol;
  const slashedProtocol = new Set(['http', 'http:', 'https', 'https:', 'ftp', 'ftp:', 'gopher',
    'gopher:', 'file', 'file:', 'ws', 'ws:', 'wss', 'wss:']);
  const forbiddenHostChars = /[\0\t\n\r #%/:<>?@[\\\]^|]/;
  const forbiddenHostCharsIpv6 = /[\0\t\n\r #%/<>?@\\^|]/;
  const autoEscape = {
    '\t': '%09', '\n': '%0A', '\r': '%0D', ' ': '%20', '"': '%22', "'": '%27', '<': '%3C',
    '>': '%3E', '\\': '%5C', '^': '%5E', '`': '%60', '{': '%7B', '|': '%7C', '}': '%7D',
  };
  const autoEscapePattern = /[\t\n\r "'<>\\^`{|}]/g;

  function isIpv6Hostname(hostname) {
    return hostname.charCodeAt(0) === 91 && hostname.charCodeAt(hostname.length - 1) === 93;
  }

  function urlParse(url, parseQueryString, slashesDenoteHost) {
    if (url instanceof Url) return url;
    const result = new Url();
    result.parse(url, parseQueryString, slashesDenoteHost);
    return result;
  }

  function isWhitespace(code) {
    return code < 33 || code === 0xA0 || code === 0xFEFF;
  }

  Url.prototype.parse = function parse(url, parseQueryString, slashesDenoteHost) {
    if (typeof url !== 'string') throw invalidArgType('url', 'string', url);
    // Trim, and turn backslashes before any ? or # into slashes.
    let start = 0;
    let end = url.length;
    while (start < end && isWhitespace(url.charCodeAt(start))) start++;
    while (end > start && isWhitespace(url.charCodeAt(end - 1))) end--;
    let rest = '';
    let hasHash = false, hasAt = false, split = false;
    for (let i = start; i < end; i++) {
      const ch = url[i];
      if (!split) {
        if (ch === '@') hasAt = true;
        else if (ch === '#') { hasHash = true; split = true; }
        else if (ch === '?') split = true;
        if (ch === '\\') { rest += '/'; continue; }
      } else if (ch === '#') {
        hasHash = true;
      }
      rest += ch;
    }

    if (!slashesDenoteHost && !hasHash && !hasAt) {
      const simplePath = simplePathPattern.exec(rest);
      if (simplePath) {
        this.path = rest;
        this.href = rest;
        this.pathname = simplePath[1];
        if (simplePath[2]) {
          this.search = simplePath[2];
          this.query = parseQueryString ? querystring.parse(this.search.slice(1))
            : this.search.slice(1);
        } else if (parseQueryString) {
          this.search = null;
          this.query = { __proto__: null };
        }
        return this;
      }
    }

    let proto = protocolPattern.exec(rest);
    let lowerProto;
    if (proto) {
      proto = proto[0];
      lowerProto = proto.toLowerCase();
      this.protocol = lowerProto;
      rest = rest.slice(proto.length);
    }

    let slashes;
    if (slashesDenoteHost || proto || hostPattern.test(rest)) {
      slashes = rest.charCodeAt(0) === 47 && rest.charCodeAt(1) === 47;
      if (slashes && !(proto && hostlessProtocol.has(lowerProto))) {
        rest = rest.slice(2);
        this.slashes = true;
      }
    }

    if (!hostlessProtocol.has(lowerProto) &&
        (slashes || (proto && !slashedProtocol.has(proto)))) {
      let hostEnd = -1, atSign = -1, nonHost = -1;
      for (let i = 0; i < rest.length; ++i) {
        switch (rest[i]) {
          case '\t': case '\n': case '\r': case ' ': case '"': case "'": case ';':
          case '<': case '>': case '\\': case '^': case '`': case '{': case '|': case '}':
            if (nonHost === -1) nonHost = i;
            break;
          case '#': case '/': case '?':
            if (nonHost === -1) nonHost = i;
            hostEnd = i;
            break;
          case '@':
            atSign = i;
            nonHost = -1;
            break;
        }
        if (hostEnd !== -1) break;
      }
      let from = 0;
      if (atSign !== -1) {
        this.auth = decodeURIComponent(rest.slice(0, atSign));
        from = atSign + 1;
      }
      if (nonHost === -1) {
        this.host = rest.slice(from);
        rest = '';
      } else {
        this.host = rest.slice(from, nonHost);
        rest = rest.slice(nonHost);
      }
      this.parseHost();
      if (typeof this.hostname !== 'string') this.hostname = '';
      const hostname = this.hostname;
      const ipv6Hostname = isIpv6Hostname(hostname);
      if (!ipv6Hostname) rest = getHostname(this, rest, hostname);
      if (this.hostname.length > hostnameMaxLen) this.hostname = '';
      else this.hostname = this.hostname.toLowerCase();
      if (this.hostname !== '') {
        if (ipv6Hostname) {
          if (forbiddenHostCharsIpv6.test(this.hostname)) throw invalidUrl(url);
        } else {
          const ascii = this.hostname.length > MAX_INPUT ? '' : binding.toASCII(this.hostname);
          this.hostname = ascii === '' ? this.hostname : ascii;
          if (forbiddenHostChars.test(this.hostname)) throw invalidUrl(url);
        }
      }
      const p = this.port ? ':' + this.port : '';
      this.host = (this.hostname || '') + p;
      if (ipv6Hostname) {
        this.hostname = this.hostname.slice(1, -1);
        if (rest[0] !== '/') rest = '/' + rest;
      }
    }

    if (!unsafeProtocol.has(lowerProto)) {
      rest = rest.replace(autoEscapePattern, (ch) => autoEscape[ch]);
    }

    let questionIdx = -1, hashIdx = -1;
    for (let i = 0; i < rest.length; ++i) {
      const ch = rest[i];
      if (ch === '#') {
        this.hash = rest.slice(i);
        hashIdx = i;
        break;
      } else if (ch === '?' && questionIdx === -1) {
        questionIdx = i;
      }
    }
    if (questionIdx !== -1) {
      if (hashIdx === -1) {
        this.search = rest.slice(questionIdx);
        this.query = rest.slice(questionIdx + 1);
      } else {
        this.search = rest.slice(questionIdx, hashIdx);
        this.query = rest.slice(questionIdx + 1, hashIdx);
      }
      if (parseQueryString) this.query = querystring.parse(this.query);
    } else if (parseQueryString) {
      this.search = null;
      this.query = { __proto__: null };
    }
    const useQuestionIdx = questionIdx !== -1 && (hashIdx === -1 || questionIdx < hashIdx);
    const firstIdx = useQuestionIdx ? questionIdx : hashIdx;
    if (firstIdx === -1) {
      if (rest.length > 0) this.pathname = rest;
    } else if (firstIdx > 0) {
      this.pathname = rest.slice(0, firstIdx);
    }
    if (slashedProtocol.has(lowerProto) && this.hostname && !this.pathname) this.pathname = '/';
    if (this.pathname || this.search) this.path = (this.pathname || '') + (this.search || '');
    this.href = this.format();
    return this;
  };

  // Cuts the hostname at its first character a hostname may not hold; the
  // rest goes to the path.
  function getHostname(self, rest, hostname) {
    for (let i = 0; i < hostname.length; ++i) {
      const code = hostname.charCodeAt(i);
      const isValid = (code >= 97 && code <= 122) || code === 46 || (code >= 65 && code <= 90) ||
        (code >= 48 && code <= 57) || code === 45 || code === 43 || code === 95 || code > 127;
      if (!isValid) {
        self.hostname = hostname.slice(0, i);
        return `/${hostname.slice(i)}${rest}`;
      }
    }
    return rest;
  }

  Url.prototype.parseHost = function parseHost() {
    let host = this.host;
    let port = portPattern.exec(host);
    if (port) {
      port = port[0];
      if (port !== ':') this.port = port.slice(1);
      host = host.slice(0, host.length - port.length);
    }
    if (host) this.hostname = host;
  };

  function encodeAuth(auth) {
    return encodeURIComponent(auth).replace(/%3A/g, ':');
  }

  Url.prototype.format = function format() {
    let auth = this.auth || '';
    if (auth) auth = encodeAuth(auth) + '@';
    let protocol = this.protocol || '';
    let pathname = this.pathname || '';
    let hash = this.hash || '';
    let host = '';
    let query = '';
    if (this.host) {
      host = auth + this.host;
    } else if (this.hostname) {
      host = auth + (this.hostname.includes(':') && !isIpv6Hostname(this.hostname)
        ? '[' + this.hostname + ']' : this.hostname);
      if (this.port) host += ':' + this.port;
    }
    if (this.query !== null && typeof this.query === 'object') {
      query = querystring.stringify(this.query);
    }
    let search = this.search || (query && ('?' + query)) || '';
    if (protocol && protocol.charCodeAt(protocol.length - 1) !== 58) protocol += ':';
    pathname = pathname.replace(/[#?]/g, (ch) => (ch === '#' ? '%23' : '%3F'));
    if (this.slashes || slashedProtocol.has(protocol)) {
      if (this.slashes || host) {
        if (pathname && pathname.charCodeAt(0) !== 47) pathname = '/' + pathname;
        host = '//' + host;
      } else if (protocol.startsWith('file')) {
        host = '//';
      }
    }
    search = search.replace(/#/g, '%23');
    if (hash && hash.charCodeAt(0) !== 35) hash = '#' + hash;
    if (search && search.charCodeAt(0) !== 63) search = '?' + search;
    return protocol + host + pathname + search + hash;
  };

  Url.prototype.resolve = function resolve(relative) {
    return this.resolveObject(urlParse(relative, false, true)).format();
  };

  Url.prototype.resolveObject = function resolveObject(relative) {
    if (typeof relative === 'string') {
      const rel = new Url();
      rel.parse(relative, false, true);
      relative = rel;
    }
    const result = new Url();
    for (const key of Object.keys(this)) result[key] = this[key];
    result.hash = relative.hash;
    if (relative.href === '') {
      result.href = result.format();
      return result;
    }
    if (relative.slashes && !relative.protocol) {
      for (const key of Object.keys(relative)) {
        if (key !== 'protocol') result[key] = relative[key];
      }
      if (slashedProtocol.has(result.protocol) && result.hostname && !result.pathname) {
        result.path = result.pathname = '/';
      }
      result.href = result.format();
      return result;
    }
    if (relative.protocol && relative.protocol !== result.protocol) {
      if (!slashedProtocol.has(relative.protocol)) {
        for (const key of Object.keys(relative)) result[key] = relative[key];
        result.href = result.format();
        return result;
      }
      result.protocol = relative.protocol;
      if (!relative.host && !/^file:?$/.test(relative.protocol) &&
          !hostlessProtocol.has(relative.protocol)) {
        const relPath = (relative.pathname || '').split('/');
        while (relPath.length && !(relative.host = relPath.shift()));
        if (!relative.host) relative.host = '';
        if (!relative.hostname) relative.hostname = '';
        if (relPath[0] !== '') relPath.unshift('');
        if (relPath.length < 2) relPath.unshift('');
        result.pathname = relPath.join('/');
      } else {
        result.pathname = relative.pathname;
      }
      result.search = relative.search;
      result.query = relative.query;
      result.host = relative.host || '';
      result.auth = relative.auth;
      result.hostname = relative.hostname || relative.host;
      result.port = relative.port;
      if (result.pathname || result.search) {
        result.path = (result.pathname || '') + (result.search || '');
      }
      result.slashes = result.slashes || relative.slashes;
      result.href = result.format();
      return result;
    }

    const isSourceAbs = result.pathname && result.pathname.charAt(0) === '/';
    const isRelAbs = relative.host || (relative.pathname && relative.pathname.charAt(0) === '/');
    let mustEndAbs = isRelAbs || isSourceAbs || (result.host && relative.pathname);
    const removeAllDots = mustEndAbs;
    let srcPath = (result.pathname && result.pathname.split('/')) || [];
    const relPath = (relative.pathname && relative.pathname.split('/')) || [];
    const noLeadingSlashes = result.protocol && !slashedProtocol.has(result.protocol);

    if (noLeadingSlashes) {
      result.hostname = '';
      result.port = null;
      if (result.host) {
        if (srcPath[0] === '') srcPath[0] = result.host;
        else srcPath.unshift(result.host);
      }
      result.host = '';
      if (relative.protocol) {
        relative.hostname = null;
        relative.port = null;
        if (relative.host) {
          if (relPath[0] === '') relPath[0] = relative.host;
          else relPath.unshift(relative.host);
        }
        relative.host = null;
      }
      mustEndAbs = mustEndAbs && (relPath[0] === '' || srcPath[0] === '');
    }

    if (isRelAbs) {
      if (relative.host || relative.host === '') {
        if (result.host !== relative.host) result.auth = null;
        result.host = relative.host;
        result.port = relative.port;
      }
      if (relative.hostname || relative.hostname === '') {
        if (result.hostname !== relative.hostname) result.auth = null;
        result.hostname = relative.hostname;
      }
      result.search = relative.search;
      result.query = relative.query;
      srcPath = relPath;
    } else if (relPath.length) {
      srcPath.pop();
      srcPath = srcPath.concat(relPath);
      result.search = relative.search;
      result.query = relative.query;
    } else if (relative.search !== null && relative.search !== undefined) {
      if (noLeadingSlashes) {
        result.hostname = result.host = srcPath.shift();
        const authInHost = result.host && result.host.indexOf('@') > 0
          ? result.host.split('@') : false;
        if (authInHost) {
          result.auth = authInHost.shift();
          result.host = result.hostname = authInHost.shift();
        }
      }
      result.search = relative.search;
      result.query = relative.query;
      if (result.pathname !== null || result.search !== null) {
        result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '');
      }
      result.href = result.format();
      return result;
    }

    if (!srcPath.length) {
      result.pathname = null;
      result.path = result.search ? '/' + result.search : null;
      result.href = result.format();
      return result;
    }

    let last = srcPath.slice(-1)[0];
    const hasTrailingSlash = (((result.host || relative.host || srcPath.length > 1) &&
      (last === '.' || last === '..')) || last === '');
    let up = 0;
    for (let i = srcPath.length - 1; i >= 0; i--) {
      last = srcPath[i];
      if (last === '.') {
        srcPath.splice(i, 1);
      } else if (last === '..') {
        srcPath.splice(i, 1);
        up++;
      } else if (up) {
        srcPath.splice(i, 1);
        up--;
      }
    }
    if (!mustEndAbs && !removeAllDots) {
      while (up--) srcPath.unshift('..');
    }
    if (mustEndAbs && srcPath[0] !== '' && (!srcPath[0] || srcPath[0].charAt(0) !== '/')) {
      srcPath.unshift('');
    }
    if (hasTrailingSlash && srcPath.join('/').slice(-1) !== '/') srcPath.push('');
    const isAbsolute = srcPath[0] === '' || (srcPath[0] && srcPath[0].charAt(0) === '/');
    if (noLeadingSlashes) {
      result.hostname = result.host = isAbsolute ? '' : srcPath.length ? srcPath.shift() : '';
      const authInHost = result.host && result.host.indexOf('@') > 0
        ? result.host.split('@') : false;
      if (authInHost) {
        result.auth = authInHost.shift();
        result.host = result.hostname = authInHost.shift();
      }
    }
    mustEndAbs = mustEndAbs || (result.host && srcPath.length);
    if (mustEndAbs && !isAbsolute) srcPath.unshift('');
    if (srcPath.length > 0) {
      result.pathname = srcPath.join('/');
    } else {
      result.pathname = null;
      result.path = null;
    }
    if (result.pathname !== null || result.search !== null) {
      result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '');
    }
    result.auth = relative.auth || result.auth;
    result.slashes = result.slashes || relative.slashes;
    result.href = result.format();
    return result;
  };

  function urlFormat(urlObject, options) {
    if (typeof urlObject === 'string') {
      urlObject = urlParse(urlObject);
    } else if (typeof urlObject !== 'object' || urlObject === null) {
      throw invalidArgType('urlObject', ['Object', 'string'], urlObject);
    } else if (urlObject instanceof URL) {
      return formatURL(urlObject, options);
    }
    return Url.prototype.format.call(urlObject);
  }

  function urlResolve(source, relative) {
    return urlParse(source, false, true).resolve(relative);
  }

  function urlResolveObject(source, relative) {
    if (!source) return relative;
    return urlParse(source, false, true).resolveObject(relative);
  }

  module.exports = {
    Url,
    parse: urlParse,
    resolve: urlResolve,
    resolveObject: urlResolveObject,
    format: urlFormat,
    URL,
    URLSearchParams,
    domainToASCII,
    domainToUnicode,
    pathToFileURL,
    fileURLToPath,
    urlToHttpOptions,
  };
})
