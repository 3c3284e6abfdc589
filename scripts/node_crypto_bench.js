// Times Node on the work of the `node_crypto` criterion group (benches/suite.rs):
// createHash('sha256') over 16 MiB in one update. Prints the median time per
// call of 15 rounds. Usage: node scripts/node_crypto_bench.js
'use strict';
const crypto = require('crypto');
const data = Buffer.alloc(16 << 20);
for (let i = 0; i < data.length; i += 4096) data[i] = i & 255;
const sha256 = () => crypto.createHash('sha256').update(data).digest().length;

const rounds = [];
for (let i = 0; i < 3; i++) sha256(); // warm-up
for (let round = 0; round < 15; round++) {
  const start = process.hrtime.bigint();
  sha256();
  rounds.push(Number(process.hrtime.bigint() - start) / 1e6);
}
rounds.sort((a, b) => a - b);
console.log(`node_crypto/createHash_sha256_16MiB: ${rounds[rounds.length >> 1].toFixed(2)} ms`);
