// Times Node on the work of the `node_text` criterion group (benches/suite.rs):
// TextEncoder.encode / TextDecoder.decode of 1 MiB, ASCII and mixed text.
// Prints the median time per call of 15 rounds. Usage: node scripts/node_text_bench.js
'use strict';
const unit = {
  ascii: 'The quick brown fox jumps over the lazy dog. 0123456789\n',
  mixed: 'Grüße aus Zürich, naïve café; 東京と大阪 😀 — fin.\n',
};
const enc = new TextEncoder();
const dec = new TextDecoder();
const texts = {};
const bytes = {};
for (const name of ['ascii', 'mixed']) {
  const long = unit[name].repeat(Math.ceil((1 << 20) / enc.encode(unit[name]).length));
  // Cut at a character boundary: exactly 1 MiB of UTF-8 or just under (the
  // JSON round trip makes the slice a flat string).
  const { read } = enc.encodeInto(long, new Uint8Array(1 << 20));
  texts[name] = JSON.parse(JSON.stringify(long.slice(0, read)));
  bytes[name] = enc.encode(texts[name]);
}
const encodeText = (name) => enc.encode(texts[name]).length;
const decodeBytes = (name) => dec.decode(bytes[name]).length;

function time(fn, name) {
  const rounds = [];
  for (let i = 0; i < 20; i++) fn(name); // warm-up
  for (let round = 0; round < 15; round++) {
    const iterations = 50;
    const start = process.hrtime.bigint();
    let sink = 0;
    for (let i = 0; i < iterations; i++) sink += fn(name);
    rounds.push(Number(process.hrtime.bigint() - start) / iterations / 1000);
    if (sink === -1) console.log(sink);
  }
  rounds.sort((a, b) => a - b);
  return rounds[rounds.length >> 1];
}

for (const name of ['ascii', 'mixed']) {
  for (const [caseName, fn] of [['TextEncoder.encode', encodeText], ['TextDecoder.decode', decodeBytes]]) {
    console.log(`node_text/${caseName}_1MiB_${name}: ${time(fn, name).toFixed(1)} µs (${bytes[name].length} bytes)`);
  }
}
