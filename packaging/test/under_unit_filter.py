#!/usr/bin/python3
"""Runs a program under the system-call filter that the server's unit asks systemd for, without systemd: the
unit's SystemCallFilter= lines expanded with systemd-analyze's own sets, every other call failing with the unit's
SystemCallErrorNumber=. So check-packages.sh can show that the packaged JVM starts and serves under it.

usage: under_unit_filter.py UNIT-FILE PROGRAM [ARG...]
"""
import errno
import os
import subprocess
import sys

import seccomp


def sets():
    """systemd-analyze syscall-filter: each @set and its members (calls and other @sets)."""
    out = subprocess.run(["systemd-analyze", "syscall-filter"], capture_output=True, text=True, check=True).stdout
    found, current = {}, None
    for line in out.splitlines():
        if line.startswith("@"):
            current = line.split()[0]
            found[current] = []
        elif current and line.strip() and not line.strip().startswith("#"):
            found[current].append(line.strip())
    return found


def expand(name, known):
    if not name.startswith("@"):
        return {name}
    calls = set()
    for member in known[name]:
        calls |= expand(member, known)
    return calls


def allowed_calls(unit):
    """The unit's allow list, less its deny lists, in the order systemd applies them."""
    known = sets()
    allowed = None
    error = "EPERM"
    for line in open(unit, encoding="utf-8"):
        line = line.strip()
        if line.startswith("SystemCallFilter="):
            value = line.split("=", 1)[1]
            deny = value.startswith("~")
            names = value.lstrip("~").split()
            calls = set().union(*(expand(n, known) for n in names))
            if deny:
                allowed = (allowed if allowed is not None else set()) - calls
            else:
                allowed = (allowed or set()) | calls
        elif line.startswith("SystemCallErrorNumber="):
            error = line.split("=", 1)[1]
    if allowed is None:
        sys.exit("the unit has no SystemCallFilter=")
    return allowed, getattr(errno, error)


def main():
    unit, program = sys.argv[1], sys.argv[2:]
    allowed, error = allowed_calls(unit)
    rules = seccomp.SyscallFilter(defaction=seccomp.ERRNO(error))
    for call in sorted(allowed):
        try:
            rules.add_rule(seccomp.ALLOW, call)
        except (RuntimeError, ValueError, OSError):
            pass  # a call this architecture does not have
    rules.load()
    os.execv(program[0], program)


if __name__ == "__main__":
    main()
