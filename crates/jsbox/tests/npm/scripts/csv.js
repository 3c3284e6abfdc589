'use strict';
const { parse } = require('csv-parse/sync');
const input = 'name,age,city\n"Doe, Jane",34,"New\nYork"\nBob,27,Paris\n"Quote ""x""",,\n';
console.log(JSON.stringify(parse(input, { columns: true })));
console.log(JSON.stringify(parse(Buffer.from('a;b\r\n1;2\r\n'), { delimiter: ';' })));
console.log(JSON.stringify(parse('x,y\n1,2\n', { cast: true, columns: true, info: true })));
console.log(JSON.stringify(parse(Buffer.from('\ufeffa,b\n1,2'), { bom: true })));
try { parse('a,b\n1,2,3\n'); } catch (e) { console.log(e.code, e.message); }
const Papa = require('papaparse');
const res = Papa.parse(input, { header: true, skipEmptyLines: true, dynamicTyping: true });
console.log(JSON.stringify(res.data), JSON.stringify(res.meta.fields));
console.log(Papa.unparse([{ a: 1, b: 'x,y' }, { a: 2, b: 'q"z' }]));
