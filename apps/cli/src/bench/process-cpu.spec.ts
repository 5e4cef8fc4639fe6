import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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
    const parentBefore = processTreeCpuMs(process.pid) as number;
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 400; while (Date.now() < end);'], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The child first: both only grow, so the tree read after it includes at least what it used.
    const childAlone = processTreeCpuMs(child.pid as number) as number;
    const withChild = processTreeCpuMs(process.pid) as number;
    expect(childAlone).toBeGreaterThan(100);
    expect(withChild - parentBefore).toBeGreaterThanOrEqual(childAlone);
    await new Promise((resolve) => child.once('exit', resolve));
    expect(processTreeCpuMs(child.pid as number)).toBeNull();
  });
});
