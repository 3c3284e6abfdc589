// Times Node on the work of the `node_url` criterion group (benches/suite.rs):
// `new URL(input, base)` of 10,000 varied URLs. Prints the median time per
// round of 15. Usage: node scripts/node_url_bench.js
'use strict';
const urls = [];
for (let i = 0; i < 10000; i++) {
  switch (i % 5) {
    case 0: urls.push(`https://user:pw@example${i}.com:8080/a/b/../c${i}?q=${i}&r=x#frag`); break;
    case 1: urls.push(`http://xn--mnchen-3ya.de/path/${i}/file.html`); break;
    case 2: urls.push(`/relative/${i}?x=1`); break;
    case 3: urls.push(`http://192.168.${i % 256}.1:${1000 + i}/`); break;
    default: urls.push(`file:///home/user/${i}/doc%20name.txt`); break;
  }
}
const parseUrls = () => {
  let total = 0;
  for (let i = 0; i < urls.length; i++) total += new URL(urls[i], 'https://base.example/dir/').href.length;
  return total;
};
const rounds = [];
for (let i = 0; i < 5; i++) parseUrls(); // warm-up
for (let round = 0; round < 15; round++) {
  const start = process.hrtime.bigint();
  const sink = parseUrls();
  rounds.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (sink === -1) console.log(sink);
}
rounds.sort((a, b) => a - b);
console.log(`node_url/parse 10,000 URLs: ${rounds[rounds.length >> 1].toFixed(2)} ms`);
