import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpuMsOfStat, processTreeCpuMs } from './process-cpu';

describe(cpuMsOfStat.name, () => {
  it('reads utime + stime after a command name with spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const stat = '4242 (node (api) x) R 1 4242 4242 0 -1 4194304 120 0 0 0 250 37 0 0 20 0 11 0 100 0 0';
    expect(cpuMsOfStat(stat)).toBe(2870);
  });

  it('refuses a line it cannot read rather than report a number', () => {
    expect(() => cpuMsOfStat('garbage')).toThrow(/unreadable/);
  });
});

const linux = existsSync('/proc/self/stat');
(linux ? describe : describe.skip)(processTreeCpuMs.name, () => {
  it('counts the CPU a busy child uses, and is null for a process that is gone', async () => {
    // The child spins until it has itself used 300 ms of CPU, says so, then idles until told to go:
    // how much it used no longer depends on how busy the machine is while it runs.
    const busyUntilCpuMs = `const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
      while (used() < 300); process.stdout.write('spun\\n'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
    const child = spawn(process.execPath, ['-e', busyUntilCpuMs], { stdio: ['pipe', 'pipe', 'ignore'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await new Promise((resolve, reject) => {
        child.stdout.once('data', resolve);
        child.once('exit', (code) => reject(new Error(`the busy child exited (${code}) before it had spun`)));
      });
      // This process alone, then the child, then the tree: each only grows, so the tree read last holds
      // at least both. (Not the tree before: another child of Jest's may exit meanwhile and leave it.)
      const selfBefore = cpuMsOfStat(readFileSync('/proc/self/stat', 'utf8'));
      const childAlone = processTreeCpuMs(child.pid as number) as number;
      const withChild = processTreeCpuMs(process.pid) as number;
      // /proc counts in 10 ms ticks, split between user and system: allow two ticks of rounding.
      expect(childAlone).toBeGreaterThanOrEqual(280);
      expect(withChild - selfBefore).toBeGreaterThanOrEqual(childAlone);
    } finally {
      child.stdin.end();
      await exited;
    }
    expect(processTreeCpuMs(child.pid as number)).toBeNull();
  });
});
