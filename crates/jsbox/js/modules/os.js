// os: facts about the host machine, as Node's os module reports them.
(function (exports, require, module, internal) {
  'use strict';
  const binding = internal.binding('os');
  const { codedError, invalidArgType, outOfRange } = internal.errors;

  function nullProto(object) {
    return Object.assign(Object.create(null), object);
  }
  const constants = nullProto({
    UV_UDP_REUSEADDR: 4,
    dlopen: nullProto(binding.platform === 'darwin'
      ? { RTLD_LAZY: 1, RTLD_NOW: 2, RTLD_GLOBAL: 8, RTLD_LOCAL: 4 }
      : { RTLD_LAZY: 1, RTLD_NOW: 2, RTLD_GLOBAL: 256, RTLD_LOCAL: 0, RTLD_DEEPBIND: 8 }),
    errno: nullProto(binding.errno),
    signals: nullProto(binding.signals),
    priority: nullProto({
      PRIORITY_LOW: 19, PRIORITY_BELOW_NORMAL: 10, PRIORITY_NORMAL: 0,
      PRIORITY_ABOVE_NORMAL: -7, PRIORITY_HIGH: -14, PRIORITY_HIGHEST: -20,
    }),
  });

  const messages = {
    ESRCH: 'no such process', EPERM: 'operation not permitted', EACCES: 'permission denied',
    EINVAL: 'invalid argument',
  };
  function systemError(syscall, code) {
    const message = messages[code] || code;
    const err = codedError(Error, 'ERR_SYSTEM_ERROR',
      `A system error occurred: ${syscall} returned ${code} (${message})`);
    err.name = 'SystemError';
    err.info = { errno: -(binding.errno[code] || 22), code, message, syscall };
    err.errno = err.info.errno;
    err.syscall = syscall;
    return err;
  }
  function validatePid(pid) {
    if (pid === undefined) return 0;
    if (typeof pid !== 'number') throw invalidArgType('pid', 'number', pid);
    if (!Number.isInteger(pid)) throw outOfRange('pid', 'an integer', pid);
    if (pid < -2147483648 || pid > 2147483647) throw outOfRange('pid', '>= -2147483648 && <= 2147483647', pid);
    return pid;
  }

  function cidr(address, netmask, family) {
    let bits = 0;
    if (family === 'IPv4') {
      for (const part of netmask.split('.')) {
        let n = Number(part);
        while (n & 0x80) { bits++; n = (n << 1) & 0xff; }
        if (n) return null;
      }
    } else {
      for (const part of netmask.split(':')) {
        if (part === '') continue;
        let n = parseInt(part, 16);
        while (n & 0x8000) { bits++; n = (n << 1) & 0xffff; }
        if (n) return null;
      }
    }
    return `${address}/${bits}`;
  }

  function userInfo(options) {
    const info = binding.userInfo();
    if (info == null) throw systemError('uv_os_get_passwd', 'ENOENT');
    const out = Object.create(null);
    const buffer = options !== null && typeof options === 'object' && options.encoding === 'buffer';
    for (const key of ['uid', 'gid', 'username', 'homedir', 'shell']) {
      const value = info[key];
      out[key] = buffer && typeof value === 'string' ? internal.buffer.Buffer.from(value) : value;
    }
    return out;
  }

  Object.assign(exports, {
    arch: () => binding.arch,
    availableParallelism: () => binding.cpuCount(),
    cpus() {
      const model = binding.cpuModel();
      const times = binding.cpuTimes();
      const count = times.length || binding.cpuCount();
      return Array.from({ length: count }, (_, i) => {
        const t = times[i] || [0, 0, 0, 0, 0, 0];
        return { model, speed: t[5], times: { user: t[0], nice: t[1], sys: t[2], idle: t[3], irq: t[4] } };
      });
    },
    endianness: () => 'LE',
    freemem: () => binding.freemem(),
    getPriority(pid) {
      const result = binding.getPriority(validatePid(pid));
      if (typeof result === 'string') throw systemError('uv_os_getpriority', result);
      return result;
    },
    homedir: () => binding.homedir(),
    hostname: () => binding.hostname(),
    loadavg: () => binding.loadavg(),
    networkInterfaces() {
      const out = {};
      for (const entry of binding.networkInterfaces()) {
        const item = {
          address: entry.address, netmask: entry.netmask, family: entry.family,
          mac: entry.mac, internal: entry.internal,
          cidr: cidr(entry.address, entry.netmask, entry.family),
        };
        if (entry.scopeid !== undefined) item.scopeid = entry.scopeid;
        (out[entry.name] || (out[entry.name] = [])).push(item);
      }
      return out;
    },
    platform: () => binding.platform,
    release: () => binding.release,
    // Changing the priority of the host process (shared by every runtime)
    // is not for scripts: validated as Node does, then refused.
    setPriority(pid, priority) {
      if (priority === undefined) { priority = pid; pid = 0; }
      validatePid(pid);
      if (typeof priority !== 'number') throw invalidArgType('priority', 'number', priority);
      if (!Number.isInteger(priority)) throw outOfRange('priority', 'an integer', priority);
      if (priority < -20 || priority > 19) throw outOfRange('priority', '>= -20 && <= 19', priority);
      throw systemError('uv_os_setpriority', 'EACCES');
    },
    tmpdir: () => binding.tmpdir(),
    totalmem: () => binding.totalmem(),
    type: () => binding.type,
    userInfo,
    uptime: () => binding.uptime(),
    version: () => binding.version,
    machine: () => binding.machine,
  });
  Object.defineProperty(exports, 'constants', { value: constants, writable: false, enumerable: true, configurable: false });
  Object.defineProperty(exports, 'EOL', { value: '\n', writable: false, enumerable: true, configurable: true });
  Object.defineProperty(exports, 'devNull', { value: '/dev/null', writable: false, enumerable: true, configurable: true });
})
