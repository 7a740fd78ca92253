#!/usr/bin/env python3
"""Make a tree of N entries under DIR: directories of 1000 files each,
two levels deep, as a build or an unpacked archive would leave."""
import os
import sys

n, top = int(sys.argv[1]), sys.argv[2]
os.mkdir(top)
made = 0
d = 0
while made < n:
    sub = os.path.join(top, "d%03d" % (d // 10), "e%03d" % d)
    os.makedirs(sub)
    made += 1 + (d % 10 == 0)
    for i in range(min(999, n - made)):
        open(os.path.join(sub, "f%04d" % i), "w").close()
        made += 1
    d += 1
