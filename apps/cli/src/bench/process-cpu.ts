import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime: 100 on every Linux this runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

/**
 * The user + system CPU milliseconds of `/proc/<pid>/stat`'s text. Fields 14 and 15 (utime, stime),
 * counted after the command name, which is in parentheses and may hold spaces.
 */
export function cpuMsOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`unreadable /proc stat line: ${stat.slice(0, 80)}`);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    if (text) children.push(...text.split(' ').map(Number));
  }
  return children;
}

/**
 * CPU milliseconds used so far by a process and its live descendants (an API with WORKERS=2 is a
 * primary and its workers), or null where /proc cannot tell (not Linux, process gone).
 */
export function processTreeCpuMs(pid: number): number | null {
  try {
    let total = 0;
    const pending = [pid];
    while (pending.length > 0) {
      const current = pending.pop() as number;
      total += cpuMsOfStat(readFileSync(`/proc/${current}/stat`, 'utf8'));
      pending.push(...childrenOf(current));
    }
    return total;
  } catch {
    return null;
  }
}
