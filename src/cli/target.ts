// `nsmodel target fetch NAME | list | exec KERNEL -- CMD...`: the kernel images that
// `--target kernel:PATH` boots under QEMU (src/targets/).

import { CliError, EXIT, UsageError, parseOptions } from './common.js';

const HELP = `Usage: nsmodel target fetch NAME
       nsmodel target list
       nsmodel target exec KERNEL [--timeout S] -- COMMAND [ARG...]

Kernel images for 'nsmodel check --target kernel:PATH', which boots one under QEMU.

  fetch NAME   download Debian's unsigned kernel package NAME (apt-get download) and
               unpack it (dpkg-deb -x) into the cache; never installs it. Prints the
               path of its vmlinuz. NAME: linux-6.1 (bookworm), linux-6.12
               (bookworm-backports).
  list         the fetched kernels: name, release, vmlinuz path.
  exec KERNEL  boot KERNEL (a vmlinuz/bzImage path, or a fetched NAME) and run COMMAND
               in it as root, in this directory; its output and exit status are the
               command's. Progress goes to stderr. --timeout S (default 600).

Cache: $NSMODEL_CACHE/kernels, else ~/.cache/nsmodel/kernels.
Needs: qemu-system-x86_64 and a static busybox (apt-get install qemu-system-x86
busybox-static); fetch needs apt and dpkg-deb.

Exit status: 0 done; 2 bad arguments or an unknown NAME; 3 impossible here (no apt, no
network, no QEMU, a kernel that does not boot), with the reason. exec: the command's own.
`;

const SUB_HELP: Record<string, string> = {
  fetch:
    'Usage: nsmodel target fetch NAME\n\nDownload and unpack a kernel package into the cache; print its vmlinuz path.\nNAME: linux-6.1, linux-6.12. Exit 2 unknown NAME; 3 fetch impossible (reason).\n',
  list: 'Usage: nsmodel target list\n\nThe fetched kernels, one a line: NAME RELEASE VMLINUZ.\n',
  exec: "Usage: nsmodel target exec KERNEL [--timeout S] -- COMMAND [ARG...]\n\nBoot KERNEL (a path, or a fetched NAME) under QEMU and run COMMAND in it as root in\nthis directory. Exit: the command's status; 3 the kernel cannot run here (reason).\n",
};

async function unavailable<T>(f: () => Promise<T> | T): Promise<T> {
  const { TargetUnavailable } = await import('../targets/unavailable.js');
  try {
    return await f();
  } catch (e) {
    if (e instanceof TargetUnavailable) throw new CliError(e.message, EXIT.unavailable);
    throw e;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    (sub ? process.stdout : process.stderr).write(HELP);
    return sub ? EXIT.ok : EXIT.bad;
  }
  if (!Object.hasOwn(SUB_HELP, sub)) throw new UsageError(`unknown subcommand '${sub}' (fetch, list, exec)`);
  const dash = rest.indexOf('--');
  const mine = dash < 0 ? rest : rest.slice(0, dash);
  const command = dash < 0 ? [] : rest.slice(dash + 1);
  const { values, positionals } = parseOptions(mine, { help: { type: 'boolean', short: 'h' }, timeout: { type: 'string' } });
  if (values.help) {
    process.stdout.write(SUB_HELP[sub]);
    return EXIT.ok;
  }
  const kernels = await import('../targets/kernels.js');
  if (sub === 'list') {
    if (positionals.length || values.timeout) throw new UsageError('list takes no arguments');
    const all = kernels.listKernels();
    if (!all.length) process.stderr.write(`no kernels fetched (nsmodel target fetch ${Object.keys(kernels.KERNELS).join(' | ')})\n`);
    for (const k of all) process.stdout.write(`${k.name}\t${k.release}\t${k.vmlinuz}\n`);
    return EXIT.ok;
  }
  if (sub === 'fetch') {
    if (positionals.length !== 1 || values.timeout) throw new UsageError('fetch takes one NAME');
    const name = positionals[0];
    if (!Object.hasOwn(kernels.KERNELS, name))
      throw new UsageError(`unknown kernel '${name}' (known: ${Object.keys(kernels.KERNELS).join(', ')})`);
    const k = await unavailable(() => kernels.fetchKernel(name, (l) => process.stderr.write(`${l}\n`)));
    process.stderr.write(`${k.name}: ${k.package} ${k.version}, release ${k.release}\n`);
    process.stdout.write(`${k.vmlinuz}\n`);
    return EXIT.ok;
  }
  // exec
  if (positionals.length !== 1) throw new UsageError('exec takes one KERNEL, then -- COMMAND');
  if (!command.length) throw new UsageError('exec: no COMMAND after --');
  let timeoutMs = 600_000;
  if (values.timeout !== undefined) {
    const s = Number(values.timeout);
    if (!Number.isFinite(s) || s <= 0 || s > 86_400) throw new UsageError(`--timeout: seconds from 1 to 86400, not '${values.timeout}'`);
    timeoutMs = s * 1000;
  }
  const { runInQemu } = await import('../targets/qemu.js');
  const r = await unavailable(() =>
    runInQemu({
      kernel: kernels.resolveKernel(positionals[0]),
      argv: command,
      cwd: process.cwd(),
      timeoutMs,
      onProgress: (l) => {
        if (!l.includes('] guest: ')) process.stderr.write(`${l}\n`);
      },
    }),
  );
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r.status;
}
