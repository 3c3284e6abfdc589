'use strict';
const { Base64 } = require('js-base64');
const s = 'Hello, 世界! 🙂';
const e = Base64.encode(s);
console.log(e, Base64.encodeURI(s), Base64.decode(e) === s);
console.log(Base64.toUint8Array(e).length, Base64.fromUint8Array(new Uint8Array([1, 2, 3, 250])));
console.log(Base64.isValid(e), Base64.isValid('**'), Base64.atob('aGk='), Base64.btoa('hi'));
