#!/usr/bin/env python3
"""Run each argument vector through GNU mktemp and through ctempfile in one
locale, and print every one whose status, diagnostics or output shape
differ.  Random characters are compared by shape only; 'mktemp' in GNU's
diagnostics reads 'ctempfile'.  Usage: differential.py CTEMPFILE DIR [LOCALE]
(default LOCALE: C)."""
import os
import re
import subprocess
import sys

# Names that quoting must get right: blanks, both kinds of quotation
# marks (ASCII and the curved and German ones a locale may use),
# control characters, a printable non-ASCII letter, bytes that are not
# UTF-8, a truncated sequence, an unprintable and an invisible character.
NAMES = [
    b"a bXX", b"a'bXX", b'a"bXX', "a\u2019bXX".encode(), "a\u201cbXX".encode(),
    "\u201eaXX".encode(), b"a\tb\nc\rXX", b"a\\bXX", b"\x1b[31mXX",
    b"x\x7f\x01XX", "caf\u00e9XX".encode(), b"caf\xe9XX", b"a\xffbXX",
    b"\xe2\x80XX", b"a\xc2\x85bXX", "a\u200bXX".encode(), b"$?*XX",
]

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
    ["-u", "--suffix=X", "aXX"], ["--suffix", "suf", "tempX"],
    ["-u", "-t", "--suffix=.x"], ["-u", "-h"],
    ["-u", "--tmpdir=/", "XXX"], ["-u", "--tmpdir=//", "XXX"],
    ["-u", "-p", "sub/", "XXX"], ["-u", "-p", "sub//", "x/XXX"],
    ["-qu", "/nonexistent/XXX"], ["-u", "/nonexistent/XXX"],
    ["-d", "/nonexistent/XXX"], ["/nonexistent/XXX"],
    ["-q", "/nonexistent/XXX"], ["-d", "sub/dXXXXX"], ["sub/fXXXXX.txt"],
    ["--tmpdir=sub", "-d"], ["-p", "sub", "--suffix=.s", "xXXX"],
    ["-u", "a'b\\c\n\tXX"], ["-u", "caf\u00e9XX"],
    # every diagnostic of the form, the option errors with the Try line
    ["a", "b"], ["-k"], ["--foo"], ["--d"], ["-p"], ["--suffix"],
    ["--directory=3"], ["--suffix=a/b", "XXX"], ["--suffix=a", "fooXa"],
    ["-t", "a/XXX"], ["-p", "d", "/XXX"], ["-d", "/nonexistent/é/XXX"],
    ["-p", "/nonexistent/\u00e9"],
]
CASES += [[name] for name in NAMES]
CASES += [["-u", "--suffix", name, "XXX"] for name in NAMES]
CASES += [["--suffix=.x", name] for name in NAMES]
CASES += [["-p", "/nonexistent", name + b"X"] for name in NAMES]
CASES += [["-t", b"d/" + name + b"X"] for name in NAMES]

# Vectors whose standard output is /dev/full: the write error.
FULL = [[], ["-d", "-p", "sub"], ["-u"]]


def shape(text):
    return re.sub(rb"[A-Za-z0-9]", b"a", text)


def gnu_version():
    out = subprocess.run(["mktemp", "--version"], capture_output=True,
                         check=True).stdout.decode().split("\n")[0]
    return tuple(int(n) for n in re.findall(r"[0-9]+", out)[:2])


def suffix_of(args):
    for i, arg in enumerate(args):
        if arg == "--suffix" and i + 1 < len(args):
            return os.fsencode(args[i + 1])
        if isinstance(arg, str) and arg.startswith("--suffix="):
            return os.fsencode(arg[len("--suffix="):])
    return None


def as_95(args, err, status):
    """GNU before 9.5 quotes the template with --suffix appended in the
    too-few-X's message; 9.5 and later quote it without.  Only a status
    of 1 with one line of diagnostics and a suffix that closes the quoted
    name can be that message."""
    sfx = suffix_of(args)
    if status != 1 or not sfx or err.count(b"\n") != 1:
        return err
    return re.sub(re.escape(sfx) + rb"([^ \\]+)\n$", rb"\1\n", err)


def run(cmd, env, cwd, full, executable=None):
    if full:
        with open("/dev/full", "wb") as out:
            p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE,
                               env=env, cwd=cwd, executable=executable)
            return p.returncode, b"", p.stderr
    p = subprocess.run(cmd, capture_output=True, env=env, cwd=cwd,
                       executable=executable)
    return p.returncode, p.stdout, p.stderr


def main():
    ctempfile, work = os.path.abspath(sys.argv[1]), sys.argv[2]
    loc = sys.argv[3] if len(sys.argv) > 3 else "C"
    os.makedirs(os.path.join(work, "sub"), exist_ok=True)
    env = dict(os.environ, LC_ALL=loc, TMPDIR=os.path.join(work, "sub"))
    for name in ("POSIXLY_CORRECT", "LANGUAGE"):
        env.pop(name, None)
    before_95 = gnu_version() < (9, 5)
    vectors = [(c, False) for c in CASES] + [(c, True) for c in FULL]
    differ = 0
    for args, full in vectors:
        args = [os.fsencode(a) if isinstance(a, bytes) else a for a in args]
        gstat, gout, gerr = run(["mktemp"] + args, env, work, full)
        # Invoked by name, as GNU's is: getopt's complaints name argv[0].
        ostat, oout, oerr = run(["ctempfile"] + args, env, work, full,
                                ctempfile)
        gerr = gerr.replace(b"mktemp", b"ctempfile")
        if before_95:
            gerr = as_95(args, gerr, gstat)
        if gstat != ostat or gerr != oerr or shape(gout) != shape(oout):
            differ += 1
            print(f"{args!r}:\n  GNU       {gstat} {gout!r} {gerr!r}\n"
                  f"  ctempfile {ostat} {oout!r} {oerr!r}")
    print(f"{len(vectors)} cases in {loc}, {differ} differ")


main()
