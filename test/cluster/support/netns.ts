// Another "host" for the multi-host tests: a network namespace joined to this one by a veth pair
// (10.231.<n>.1 here, .2 there), nothing else routed, removed when the test ends. Needs root (CI is).
import { execFileSync } from 'node:child_process';

let made = 0;

export interface Namespace {
  name: string;
  /** This side's address, which processes in the namespace reach. */
  hostAddress: string;
  /** The command prefix that runs a program inside the namespace. */
  exec: string[];
  /** Takes the link down (the namespace's processes lose the network) or up again. */
  link(up: boolean): void;
  /** SIGKILLs every process in the namespace at once: the host is gone. */
  killAll(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', timeout: 30_000 });

export function canMakeNamespaces(): boolean {
  return process.getuid?.() === 0 && process.platform === 'linux';
}

/**
 * Claims a free number n for a namespace plumbc<n> (subnet 10.231.<n>, links pc<n>a/b): creating
 * the namespace is the claim, and fails if another test process (files run side by side) or a
 * crashed run holds that number.
 */
function claim(): number {
  const start = (process.pid * 7 + made++) % 250;
  for (let i = 0; i < 250; i++) {
    const n = (start + i) % 250;
    try {
      ip('netns', 'add', `plumbc${n}`);
      return n;
    } catch {
      /* taken: try the next */
    }
  }
  throw new Error('no free network namespace number (plumbc0-249 all exist)');
}

export function namespace(t: { after(fn: () => void): void }): Namespace {
  const n = claim();
  const name = `plumbc${n}`;
  const outer = `pc${n}a`;
  const inner = `pc${n}b`;
  const subnet = `10.231.${n}`;
  t.after(() => {
    try {
      ip('netns', 'del', name); // takes its end of the pair, and so the pair, with it
    } catch {
      /* already gone */
    }
    try {
      ip('link', 'del', outer);
    } catch {
      /* went with the namespace */
    }
  });
  ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner);
  ip('link', 'set', inner, 'netns', name);
  ip('addr', 'add', `${subnet}.1/30`, 'dev', outer);
  ip('link', 'set', outer, 'up');
  ip('netns', 'exec', name, 'ip', 'addr', 'add', `${subnet}.2/30`, 'dev', inner);
  ip('netns', 'exec', name, 'ip', 'link', 'set', inner, 'up');
  ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  return {
    name,
    hostAddress: `${subnet}.1`,
    exec: ['ip', 'netns', 'exec', name],
    link: (up) => void ip('link', 'set', outer, up ? 'up' : 'down'),
    killAll() {
      const pids = ip('netns', 'pids', name).toString().trim().split(/\s+/).filter(Boolean).map(Number);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone already */
        }
      }
    },
  };
}
