#!/usr/bin/env python3
"""Run hyperfine ROUNDS times on the same commands, reversing their order
every other round so that neither always goes first (warm caches, a
machine's moods), and write all the times of each command to OUT as
hyperfine's JSON does, in the order given.
Usage: alternate.py OUT ROUNDS [HYPERFINE_OPTION]... -- COMMAND...
(--runs in the options counts the runs of one round)."""
import json
import os
import subprocess
import sys
import tempfile


def main():
    out, rounds = sys.argv[1], int(sys.argv[2])
    rest = sys.argv[3:]
    split = rest.index("--")
    options, commands = rest[:split], rest[split + 1:]
    times = {c: [] for c in commands}
    for r in range(rounds):
        order = commands if r % 2 == 0 else commands[::-1]
        fd, path = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        try:
            subprocess.run(["hyperfine", "--style", "none", "--export-json",
                            path] + options + order, check=True,
                           stdout=subprocess.DEVNULL)
            with open(path) as f:
                for res in json.load(f)["results"]:
                    times[res["command"]] += res["times"]
        finally:
            os.unlink(path)
    with open(out, "w") as f:
        json.dump({"results": [{"command": c, "times": times[c]}
                               for c in commands]}, f)


main()
