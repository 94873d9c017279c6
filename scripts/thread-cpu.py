#!/usr/bin/env python3
"""Where the CPU goes, by process and thread, for every JVM on this machine (Linux /proc).

  scripts/thread-cpu.py sample FILE            # every second, each java thread's CPU ticks, until Ctrl-C
  scripts/thread-cpu.py report FILE [A-B ...]  # per window of seconds since the first sample: CPU seconds
                                               # by process role and thread group, then a per-second timeline

Run `sample` in the background next to `./lfvit bench`, `./lfvit dev` or a deployment on one host, then
`report` the seconds of interest (with no window: each localizer/focus-worker lifetime is listed, so a bench
row's window can be read from it). A process's role is its lfvit command (localizer, focus-worker, serve,
dev = the bench's broker, bench, demo). Thread names are the kernel's, cut at 15 characters (a Kafka
Streams thread of application "bench6-focus-..." and its batch runners share one name); digits are folded
so that numbered threads of one kind add up (inference, GC workers, JIT compilers, request handlers).
docs/pipeline-efficiency.md has what it showed.
"""
import collections
import os
import re
import sys
import time

ROLES = ['focus-worker', 'localizer', 'serve', 'dev', 'bench', 'demo']
GROUPS = [('GC_Thread', 'gc'), ('G1_', 'gc'), ('C1_CompilerThre', 'jit'), ('C2_CompilerThre', 'jit'),
          ('kafka-producer', 'producer-net'), ('lfvit-inference', 'inference'),
          ('data-plane-kafk', 'broker-data-plane')]  # request handlers and network threads: one 15-character name


def role(pid):
    try:
        args = open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\0')
    except OSError:
        return None
    if not args or not args[0].endswith(b'java'):
        return None
    words = set(a.decode(errors='replace') for a in args)
    return next((r for r in ROLES if r in words), 'java')


def sample(path):
    with open(path, 'w') as out:
        while True:
            now = time.time()
            for pid in filter(str.isdigit, os.listdir('/proc')):
                r = role(pid)
                if r is None:
                    continue
                try:
                    for tid in os.listdir(f'/proc/{pid}/task'):
                        stat = open(f'/proc/{pid}/task/{tid}/stat').read()
                        comm = stat[stat.index('(') + 1:stat.rindex(')')].replace(' ', '_')
                        fields = stat[stat.rindex(')') + 2:].split()
                        out.write(f'{now:.2f} {pid} {r} {tid} {comm} {int(fields[11]) + int(fields[12])}\n')
                except OSError:
                    pass  # the process or thread ended while we read it
            out.flush()
            time.sleep(1)


def group(comm):
    for prefix, name in GROUPS:
        if comm.startswith(prefix):
            return name
    return re.sub(r'\d+', '#', comm)


def report(path, windows):
    samples = collections.defaultdict(dict)  # time -> (pid, tid) -> (role, comm, ticks)
    for line in open(path):
        t, pid, r, tid, comm, ticks = line.split()
        samples[float(t)][(pid, tid)] = (r, comm, int(ticks))
    times = sorted(samples)
    start = times[0]
    if not windows:
        life = {}
        for t in times:
            for (pid, _), (r, _, _) in samples[t].items():
                if r in ('localizer', 'focus-worker', 'serve'):
                    life.setdefault(pid, [r, t, t])[2] = t
        for pid, (r, t0, t1) in sorted(life.items(), key=lambda x: x[1][1]):
            print(f'{r:13s} pid {pid}: {t0 - start:.0f}-{t1 - start:.0f} s')
        return
    hz = os.sysconf('SC_CLK_TCK')
    for window in windows:
        a, b = map(float, window.split('-'))
        ts = [t for t in times if a <= t - start <= b]
        # each thread from its sample at the window's start (0 if it started later) to its last sample in the
        # window, so that a process that ends inside the window (a bench row's apps) still counts
        last = {}
        for t in ts:
            last.update(samples[t])
        cpu = collections.Counter()
        for key, (r, comm, ticks) in last.items():
            cpu[(r, group(comm))] += (ticks - samples[ts[0]].get(key, (0, 0, 0))[2]) / hz
        print(f'--- {a:.0f}-{b:.0f} s ({ts[-1] - ts[0]:.1f} s): CPU seconds')
        for r in ROLES + ['java']:
            mine = sorted(((g, v) for (rr, g), v in cpu.items() if rr == r and v >= 0.05), key=lambda x: -x[1])
            if mine:
                print(f'  {r:13s} {sum(v for _, v in mine):6.2f}  ' + ', '.join(f'{g} {v:.2f}' for g, v in mine[:10]))
        for t0, t1 in zip(ts, ts[1:]):
            step = collections.Counter()
            for key, (r, comm, ticks) in samples[t1].items():
                step[r] += (ticks - samples[t0].get(key, (0, 0, 0))[2]) / hz / (t1 - t0)
            print(f'    {t1 - start:6.1f} s  cores ' + ' '.join(f'{r} {v:.2f}' for r, v in step.most_common())
                  + f'  total {sum(step.values()):.2f}')


if __name__ == '__main__':
    if len(sys.argv) >= 3 and sys.argv[1] == 'sample':
        try:
            sample(sys.argv[2])
        except KeyboardInterrupt:
            pass
    elif len(sys.argv) >= 3 and sys.argv[1] == 'report':
        report(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
