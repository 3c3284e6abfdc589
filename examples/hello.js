// Run with: cargo run --release -p jsbox-cli -- run examples/hello.js
const { greet, languages } = require('./lib/greeter');

console.log(greet('world'));
console.log('jsbox speaks %d languages:', languages.length, languages);
console.log({ nested: { map: new Map([['a', 1]]), set: new Set([1, 2]) } });
