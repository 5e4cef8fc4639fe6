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

/** The text of a /proc file, or null when what it describes has gone (a thread or process exited). */
function readIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  // A thread may exit between the listing and the read: it has no children to report then.
  for (const task of tasks) {
    const text = readIfPresent(`/proc/${pid}/task/${task}/children`)?.trim();
    if (text) children.push(...text.split(' ').map(Number));
  }
  return children;
}

/**
 * CPU milliseconds used so far by a process and its live descendants (an API with WORKERS=2 is a
 * primary and its workers), or null where /proc cannot tell (not Linux, process gone). A descendant
 * that exits during the walk is left out rather than spoiling the whole reading.
 */
export function processTreeCpuMs(pid: number): number | null {
  const rootStat = readIfPresent(`/proc/${pid}/stat`);
  if (rootStat === null) return null;
  let total = cpuMsOfStat(rootStat);
  const pending = childrenOf(pid);
  while (pending.length > 0) {
    const current = pending.pop() as number;
    const stat = readIfPresent(`/proc/${current}/stat`);
    if (stat === null) continue;
    total += cpuMsOfStat(stat);
    pending.push(...childrenOf(current));
  }
  return total;
}
