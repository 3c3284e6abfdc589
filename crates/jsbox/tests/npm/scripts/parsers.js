'use strict';
const yargsParser = require('yargs-parser');
console.log(JSON.stringify(yargsParser(['--foo', 'bar', '-abc', '--num', '5', '--no-color', 'pos', '--', 'rest'], { number: ['num'] })));
console.log(JSON.stringify(yargsParser.detailed('--x=1 --x=2 -y', { array: ['x'] }).argv));
const semver = require('semver');
console.log(semver.satisfies('1.2.3', '^1.0.0'), semver.gt('2.0.0-beta.1', '2.0.0-alpha.9'), semver.coerce('v3.4 beta').version, semver.maxSatisfying(['1.2.3', '1.4.0', '2.0.0'], '~1.4'), semver.inc('1.2.3', 'prerelease', 'rc'));
const ms = require('ms');
console.log(ms('2 days'), ms('1.5h'), ms(60000), ms(2 * 60 * 60 * 1000, { long: true }));
