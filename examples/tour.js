// A tour of the built-in modules: fs, path, database and timers together.
// Run with: cargo run --release -p jsbox-cli -- run examples/tour.js
const fs = require('fs');
const os = require('os');
const path = require('path');
const db = require('database');

// Work in a fresh temporary folder.
const dir = path.join(os.tmpdir(), `jsbox-tour-${process.pid}`);
fs.mkdirSync(dir, { recursive: true });

// Write a few notes as files, then read them back.
const notes = { 'todo.txt': 'write docs', 'idea.txt': 'heap images', 'done.txt': 'call log' };
for (const [name, text] of Object.entries(notes)) {
  fs.writeFileSync(path.join(dir, name), text);
}
const files = fs.readdirSync(dir).filter((name) => path.extname(name) === '.txt');

// Index them in SQLite.
db.configure('sqlite3', path.join(dir, 'notes.db'));
db.exec('CREATE TABLE notes (name TEXT PRIMARY KEY, body TEXT, bytes INTEGER)');
for (const name of files) {
  const body = fs.readFileSync(path.join(dir, name), 'utf8');
  db.exec('INSERT INTO notes VALUES (?, ?, ?)', name, body, fs.statSync(path.join(dir, name)).size);
}

// Report a little later, from a timer, then clean up.
setTimeout(() => {
  for (const row of db.query('SELECT name, body, bytes FROM notes ORDER BY name')) {
    console.log(`${path.basename(row.name, '.txt').padEnd(5)} ${String(row.bytes).padStart(3)} bytes  ${row.body}`);
  }
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log('cleaned up:', !fs.existsSync(dir));
}, 10);
