'use strict';
const iconv = require('iconv-lite');
const text = 'Grüße, Καλημέρα, こんにちは, 🙂';
for (const enc of ['utf8', 'utf16le', 'utf16be', 'latin1', 'win1251', 'cp866', 'koi8-r', 'shift_jis', 'gbk', 'big5', 'euc-kr', 'iso-8859-7', 'utf-7', 'base64', 'hex']) {
  const buf = iconv.encode(text, enc);
  console.log(enc, buf.length, buf.toString('hex').slice(0, 60), JSON.stringify(iconv.decode(buf, enc)));
}
console.log(iconv.encodingExists('windows-1252'), iconv.encodingExists('nope'));
const dec = iconv.getDecoder('shift_jis');
const sj = iconv.encode('日本語テキスト', 'shift_jis');
let out = '';
for (let i = 0; i < sj.length; i += 3) out += dec.write(sj.subarray(i, i + 3));
out += dec.end() || '';
console.log('streamed', out);
console.log(iconv.decode(Buffer.from([0xff, 0xfe, 0x41, 0x00]), 'utf16'));
