import normalizeUrl from 'normalize-url';
import queryString from 'query-string';
import { v5 as uuidv5 } from 'uuid';
for (const u of ['sindresorhus.com', 'HTTP://www.Example.com:80/../a/./b/?b=2&a=1#frag', 'https://user:pw@xn--fa-hia.de/%7Efoo/index.html?utm_source=x&q=1', '//sindresorhus.com:80/', 'http://[::1]:8080/a//b']) {
  try { console.log(normalizeUrl(u, { stripHash: true, removeDirectoryIndex: true })); } catch (e) { console.log('error', e.message); }
}
console.log(JSON.stringify(queryString.parse('?foo=bar&arr=1&arr=2&n=5&b=true', { parseNumbers: true, parseBooleans: true })));
console.log(queryString.stringify({ b: [1, 2], a: 'x y', c: null, d: undefined }));
console.log(JSON.stringify(queryString.parseUrl('https://foo.bar?foo=bar#x', { parseFragmentIdentifier: true })));
console.log(uuidv5('jsbox', uuidv5.URL));
