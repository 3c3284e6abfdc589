// Times Node on the work of the `node_buffer` criterion group (benches/suite.rs):
// Buffer.from(string, encoding) and buf.toString(encoding) of 1 MiB, for
// base64, hex and utf8. Prints the median time per call of 15 rounds.
// Usage: node scripts/node_buffer_bench.js
'use strict';
const bytes = Buffer.alloc(1 << 20);
for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 127;
const strings = { base64: bytes.toString('base64'), hex: bytes.toString('hex'), utf8: bytes.toString('utf8') };
const from = (enc) => Buffer.from(strings[enc], enc).length;
const toString = (enc) => bytes.toString(enc).length;

function time(fn, enc) {
  for (let i = 0; i < 5; i++) fn(enc);
  const rounds = [];
  for (let round = 0; round < 15; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 10; i++) fn(enc);
    rounds.push(Number(process.hrtime.bigint() - start) / 10 / 1000);
  }
  rounds.sort((a, b) => a - b);
  return rounds[rounds.length >> 1];
}

for (const enc of ['base64', 'hex', 'utf8']) {
  console.log(`node_buffer/from_${enc}_1MiB: ${time(from, enc).toFixed(1)} µs`);
  console.log(`node_buffer/toString_${enc}_1MiB: ${time(toString, enc).toFixed(1)} µs`);
}
