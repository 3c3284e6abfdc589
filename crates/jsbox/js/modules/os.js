// os: facts about the host machine, as Node's os module reports them.
(function (exports, require, module, internal) {
  'use strict';
  const binding = internal.binding('os');
  Object.assign(exports, {
    EOL: '\n',
    devNull: '/dev/null',
    platform: () => binding.platform,
    arch: () => binding.arch,
    type: () => binding.type,
    hostname: () => binding.hostname(),
    homedir: () => binding.homedir(),
    tmpdir: () => binding.tmpdir(),
    totalmem: () => binding.totalmem(),
    freemem: () => binding.freemem(),
    uptime: () => binding.uptime(),
    endianness: () => 'LE',
    availableParallelism: () => binding.cpuCount(),
    cpus() {
      const model = binding.cpuModel();
      return Array.from({ length: binding.cpuCount() }, () => ({
        model, speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 },
      }));
    },
  });
})
