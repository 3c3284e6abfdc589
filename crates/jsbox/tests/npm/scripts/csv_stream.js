'use strict';
const { parse } = require('csv-parse');
const { Readable, Writable, pipeline } = require('stream');
const rows = [];
const parser = parse({ columns: true, cast: true });
pipeline(
  Readable.from(['id,name,score\n1,ann,', '9.5\n2,"bob, jr",7\n', '3,cy,8\n']),
  parser,
  new Writable({ objectMode: true, write(row, _enc, cb) { rows.push(row); cb(); } }),
  (err) => console.log('pipeline done', err, JSON.stringify(rows), parser.info.records),
);
const bad = parse();
bad.on('error', (e) => console.log('bad', e.code));
bad.on('data', () => {});
bad.write('a,b\n1,2,3\n');
bad.end();
