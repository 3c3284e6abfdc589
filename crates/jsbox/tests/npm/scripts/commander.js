'use strict';
const { Command, Option, InvalidArgumentError } = require('commander');
function make() {
  const program = new Command();
  program
    .name('tool')
    .description('A tool that does things')
    .version('1.2.3')
    .option('-d, --debug', 'output extra debugging')
    .option('-p, --port <number>', 'port to use', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new InvalidArgumentError('Not a number.');
      return n;
    }, 8080)
    .addOption(new Option('-c, --color <name>', 'colour').choices(['red', 'green']))
    .option('--no-cache', 'disable the cache')
    .argument('[files...]', 'files to process')
    .exitOverride()
    .configureOutput({ writeOut: (s) => console.log('[out] ' + s.trimEnd()), writeErr: (s) => console.log('[err] ' + s.trimEnd()) });
  program.command('serve <dir>').description('serve a folder').option('-o, --open', 'open it').action((dir, opts) => {
    console.log('serve action', dir, JSON.stringify(opts));
  });
  return program;
}
for (const argv of [['-d', '-p', '3000', 'a.txt', 'b.txt'], ['--color', 'green', '--no-cache'], ['-p', 'x'], ['--color', 'blue'], ['--bogus'], ['serve', 'public', '-o'], ['--version'], ['--help']]) {
  const program = make();
  try {
    program.parse(argv, { from: 'user' });
    console.log(JSON.stringify(argv), '->', JSON.stringify(program.opts()), JSON.stringify(program.args));
  } catch (e) {
    console.log(JSON.stringify(argv), 'threw', e.code, e.exitCode);
  }
}
console.log(make().helpInformation());
