'use strict';
const { Readable, Transform, Writable, pipeline } = require('readable-stream');
const upper = new Transform({ transform(chunk, _enc, cb) { cb(null, chunk.toString().toUpperCase()); } });
let out = '';
pipeline(
  Readable.from(['ab', 'cd', 'ef']),
  upper,
  new Writable({ write(chunk, _enc, cb) { out += chunk; cb(); } }),
  (err) => console.log('pipeline', err, out),
);
const r = new Readable({ read() {} });
r.setEncoding('utf8');
r.on('data', (d) => console.log('data', JSON.stringify(d)));
r.on('end', () => console.log('end'));
r.push(Buffer.from([0xe2, 0x82]));
r.push(Buffer.from([0xac, 0x21]));
r.push(null);
