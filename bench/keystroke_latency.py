#!/usr/bin/env python3
"""Keystroke latency through a terminal program: the time from writing one key to a pty until
its echo comes back, for a shell that the command under test gives access to.

usage: keystroke_latency.py KEYS -- COMMAND [ARG...]
Starts COMMAND on a new pseudo-terminal (100x30), waits for a shell prompt ("# "), then types
KEYS single characters one at a time, each only after the previous one's echo arrived, and
prints the median and 90th percentile latency in milliseconds as "median p90".
"""
import os, pty, select, statistics, struct, sys, time, fcntl, termios

def main():
    keys = int(sys.argv[1])
    command = sys.argv[sys.argv.index("--") + 1:]
    pid, master = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    seen = b""
    deadline = time.monotonic() + 60
    while b"# " not in seen:
        if time.monotonic() > deadline:
            sys.exit("no prompt: " + seen.decode(errors="replace")[-200:])
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            seen += os.read(master, 65536)
    time.sleep(0.5)
    while select.select([master], [], [], 0.2)[0]:
        os.read(master, 65536)
    latencies = []
    for i in range(keys):
        key = bytes([ord("a") + i % 26])
        start = time.monotonic()
        os.write(master, key)
        echoed = b""
        while key not in echoed:
            ready, _, _ = select.select([master], [], [], 5)
            if not ready:
                sys.exit("no echo for key %d" % i)
            echoed += os.read(master, 4096)
        latencies.append((time.monotonic() - start) * 1000)
        if i % 40 == 39:
            os.write(master, b"\x15")  # ctrl-U: clear the line so it never wraps
            time.sleep(0.05)
            while select.select([master], [], [], 0.05)[0]:
                os.read(master, 4096)
    os.write(master, b"\x15exit\r")
    time.sleep(0.5)
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    latencies.sort()
    print("%.3f %.3f" % (statistics.median(latencies), latencies[int(len(latencies) * 0.9)]))

main()
