#!/usr/bin/env python3
"""Where a bench row's CPU goes, from a system-wide `perf record`: by process role and thread, native library
and symbol, and how much of it the kernel spent in page faults.

  JAVA_TOOL_OPTIONS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" \\
    perf record -a -g -F 499 -e cpu-clock -o perf.data -- ./lfvit bench --etas 0.46 --repeats 1 --no-frames --no-latency
  scripts/perf-row.py perf.data                  # each localizer's busy seconds, to pick a row's window
  scripts/perf-row.py perf.data T0 T1 [TOP]      # the window [T0, T1) in perf's clock (seconds since boot)

`cpu-clock` works in virtual machines without hardware counters. The JVM options make every JVM the bench
starts (they inherit the variable) write /tmp/perf-PID.map at exit, so that perf names the JIT-compiled Java
methods, and keep frame pointers so that the stacks reach Java code. Roles come from thread names: a process
with a Kafka Streams thread of the localizer ("benchN-localize...") is the localizer, "benchN-focus..." the focus
worker, one with the broker's "data-plane-kafka" threads the broker; the rest is "other" (the bench itself, the
kernel's idle task "swapper"). A sample counts as a page fault when its kernel stack holds the fault handler or
the page-zeroing routine: memory touched for the first time. docs/pipeline-efficiency.md (tenth session) has
what it showed.
"""
import collections
import re
import subprocess
import sys

HEADER = re.compile(r'\s*(.+?)\s+(\d+)/(\d+)\s+([\d.]+):')
FRAME = re.compile(r'^\s*[0-9a-f]+\s+(.*)\s+\(([^()]*)\)\s*$')
PAGE_FAULT = ('exc_page_fault', 'clear_page')


def samples(data, window=None):
    """(pid, thread name, time, frames as [(symbol, dso)]) of every sample, leaf first."""
    command = ['perf', 'script', '-i', data, '-F', 'comm,pid,tid,time,ip,sym,dso']
    if window:
        command += ['--time', f'{window[0]},{window[1]}']
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    for block in text.split('\n\n'):
        lines = block.strip('\n').split('\n')
        head = HEADER.match(lines[0]) if lines and lines[0] else None
        if head:
            frames = [m.groups() for m in map(FRAME.match, lines[1:]) if m]
            yield head.group(2), head.group(1).strip(), float(head.group(4)), frames


def role_of(thread):
    if re.match(r'bench\d+-localize', thread):
        return 'localizer'
    if re.match(r'bench\d+-focus', thread):
        return 'focus-worker'
    if thread.startswith('data-plane-kafk'):
        return 'broker'
    return None


def library(dso):
    name = dso.rsplit('/', 1)[-1]
    return 'JIT (Java)' if name.startswith('perf-') else name


def busy_seconds(data):
    per_second = collections.Counter()
    for pid, thread, t, _ in samples(data):
        if role_of(thread) == 'localizer':
            per_second[(pid, int(t))] += 1
    for (pid, second), n in sorted(per_second.items()):
        print(f'localizer {pid}: second {second}: {n} stream-thread samples')


def report(data, t0, t1, top):
    rows = list(samples(data, (t0, t1)))
    roles = {pid: role_of(thread) for pid, thread, _, _ in rows if role_of(thread)}
    rate = len(rows) / (t1 - t0) / 2  # samples per core-second, from the window (2 cores busy or idle)
    threads, libraries, symbols, faults = (collections.Counter() for _ in range(4))
    for pid, thread, _, frames in rows:
        who = (roles.get(pid, 'other'), re.sub(r'\d+', 'N', thread))
        threads[who] += 1
        if frames:
            libraries[(who[0], library(frames[0][1]))] += 1
            symbols[(who[0], library(frames[0][1]), frames[0][0][:100])] += 1
        if any(mark in symbol for symbol, _ in frames for mark in PAGE_FAULT):
            faults[who] += 1
    total = len(rows)
    print(f'{total} samples in [{t0}, {t1}): {total / rate:.2f} core-seconds; roles {roles}')
    print('\n== by process and thread: core-seconds, share, of it in page faults')
    for who, n in threads.most_common(top):
        print(f'{n / rate:7.2f} {100 * n / total:5.1f}%  page faults {100 * faults[who] / n:5.1f}% of it   {who[0]}: {who[1]}')
    print(f'page faults overall: {100 * sum(faults.values()) / total:.2f}% of the machine')
    print('\n== by process and library')
    for key, n in libraries.most_common(top):
        print(f'{n / rate:7.2f} {100 * n / total:5.1f}%  {key[0]}: {key[1]}')
    print('\n== by process and symbol')
    for key, n in symbols.most_common(top):
        print(f'{n / rate:7.2f} {100 * n / total:5.1f}%  {key[0]}: {key[2]} ({key[1]})')


if __name__ == '__main__':
    if len(sys.argv) == 2:
        busy_seconds(sys.argv[1])
    elif len(sys.argv) in (4, 5):
        report(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) == 5 else 25)
    else:
        sys.exit(__doc__)
