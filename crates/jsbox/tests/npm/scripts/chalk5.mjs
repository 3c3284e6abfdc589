import chalk, { Chalk, supportsColor } from 'chalk5';
const c = new Chalk({ level: 3 });
console.log(JSON.stringify(c.rgb(10, 20, 30).italic('rgb')), JSON.stringify(c.inverse('i')), chalk.level >= 0, supportsColor === false || typeof supportsColor === 'object');
