'use strict';
const chalk = require('chalk');
const c = new chalk.Instance({ level: 2 });
console.log(JSON.stringify(c.red('red')), JSON.stringify(c.bold.bgBlue.white('x')), JSON.stringify(c.hex('#ff8800')('o')));
console.log(JSON.stringify(c.green`tpl ${1 + 1}`), JSON.stringify(new chalk.Instance({ level: 0 }).red('plain')));
console.log('supports', typeof chalk.supportsColor, chalk.level >= 0);
const pc = require('picocolors');
const p = pc.createColors(true);
console.log(JSON.stringify(p.red('r')), JSON.stringify(p.bold(p.underline('u'))), JSON.stringify(pc.createColors(false).red('n')), typeof pc.isColorSupported);
