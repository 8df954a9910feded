/**
 * CPU time and memory of a process and all its descendants, read from /proc (Linux): nginx's
 * master + workers, Passerelle's primary + workers, counted alike.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

export interface Stat {
  pid: number;
  ppid: number;
  cpuUs: number;
  rssBytes: number;
}

function stat(pid: number): Stat | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: split after the last ')'.
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { pid, ppid: Number(fields[1]), cpuUs: (utime + stime) * TICK_US, rssBytes: rssPages * 4096 };
  } catch {
    return null;
  }
}

/** The process and all its descendants. */
export function tree(root: number): Stat[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => stat(Number(name)))
    .filter((s): s is Stat => s !== null);
  const members = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of all) {
      if (!members.has(s.pid) && members.has(s.ppid)) {
        members.add(s.pid);
        grew = true;
      }
    }
  }
  return all.filter((s) => members.has(s.pid));
}

export function treeCpuUs(root: number): number {
  return tree(root).reduce((sum, s) => sum + s.cpuUs, 0);
}

export interface TreeRss {
  /** The whole tree (primary and workers, nginx's master and workers). */
  total: number;
  /** Each process of the tree. */
  processes: number[];
  /** The largest direct child of the root (a cluster worker); null when the root has none. */
  maxChild: number | null;
}

export function treeRss(root: number): TreeRss {
  const members = tree(root).filter((s) => s.rssBytes > 0);
  const children = members.filter((s) => s.ppid === root).map((s) => s.rssBytes);
  const processes = members.map((s) => s.rssBytes);
  return { total: processes.reduce((a, b) => a + b, 0), processes, maxChild: children.length ? Math.max(...children) : null };
}
