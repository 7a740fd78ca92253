#!/usr/bin/env python3
"""Run each argument vector through GNU mktemp and through ctempfile, and
print every one whose status, diagnostics or output shape differ.  Random
characters are compared by shape only; 'mktemp' in GNU's diagnostics reads
'ctempfile'.  Usage: differential.py CTEMPFILE DIR"""
import os
import re
import subprocess
import sys

CASES = [
    ["-u"], ["-u", "aXXX"], ["-u", "XXX"], ["-u", "XX"], ["-u", ""],
    ["-u", "--suffix=", "XXX"], ["-u", "--suffix=/", "XXX"],
    ["-u", "--suffix=a/", "XXX"], ["-u", "--suffix=a//", "XXX"],
    ["-u", "-t", "sub/XXX"], ["-u", "-t", "XXX/"], ["-u", "-t", "/XXX"],
    ["-u", "-p", "sub", "/XXX"], ["-u", "-p", "", "XXX"],
    ["-u", "--tmpdir", "XXX"], ["-u", "--tmpdir=", "XXX"],
    ["-u", "-p", "sub", "-t", "XXX"], ["-u", "-dq", "XX"],
    ["-u", "-q", "a", "b"], ["-u", "--", "-XXX"], ["-u", "-XXX"],
    ["-u", "--dry", "XXX"], ["-u", "--di", "XXX"], ["-u", "--t", "XXX"],
    ["-u", "--q", "XXX"], ["-u", "--s=x", "XXX"],
    ["-u", "--tmpdir=sub", "a/XXX"], ["-u", "--tmpdir=sub", "../XXX"],
    ["-u", "sub/../XXX"], ["-u", "XXX", "-p"],
    ["-u", "--suffix", ".x", "--suffix", ".y", "XXX"],
    ["-u", "-p", "sub", "-p", ".", "XXX"], ["-u", "--version=1"],
    ["-u", "--help=1"], ["-u", "-"], ["-u", "--"], ["-u", "-dd", "XXX"],
    ["-u", "XXXX/XXX"], ["-u", "--suffix=XXX", "a"], ["-u", "aXXXbXXc"],
    ["-u", "--suffix=X", "aXX"], ["-u", "-t", "--suffix=.x"], ["-u", "-h"],
    ["-u", "--tmpdir=/", "XXX"], ["-u", "--tmpdir=//", "XXX"],
    ["-u", "-p", "sub/", "XXX"], ["-u", "-p", "sub//", "x/XXX"],
    ["-qu", "/nonexistent/XXX"], ["-u", "/nonexistent/XXX"],
    ["-d", "/nonexistent/XXX"], ["/nonexistent/XXX"],
    ["-q", "/nonexistent/XXX"], ["-d", "sub/dXXXXX"], ["sub/fXXXXX.txt"],
    ["--tmpdir=sub", "-d"], ["-p", "sub", "--suffix=.s", "xXXX"],
    ["-u", "a'b\\c\n\tXX"], ["-u", "caf\u00e9XX"],
]


def shape(text):
    return re.sub(r"[A-Za-z0-9]", "a", text)


def main():
    ctempfile, work = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.makedirs(os.path.join(work, "sub"), exist_ok=True)
    env = dict(os.environ, LC_ALL="C", TMPDIR=os.path.join(work, "sub"))
    env.pop("POSIXLY_CORRECT", None)
    differ = 0
    for args in CASES:
        gnu = subprocess.run(["mktemp"] + args, capture_output=True,
                             env=env, cwd=work)
        ours = subprocess.run([ctempfile] + args, capture_output=True,
                              env=env, cwd=work)
        gnu_err = gnu.stderr.replace(b"mktemp", b"ctempfile")
        if (gnu.returncode != ours.returncode or gnu_err != ours.stderr or
                shape(gnu.stdout.decode()) != shape(ours.stdout.decode())):
            differ += 1
            print(f"{args!r}:\n  GNU       {gnu.returncode} {gnu.stdout!r}"
                  f" {gnu_err!r}\n  ctempfile {ours.returncode}"
                  f" {ours.stdout!r} {ours.stderr!r}")
    print(f"{len(CASES)} cases, {differ} differ")


main()
