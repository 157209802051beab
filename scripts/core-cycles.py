#!/usr/bin/env python3
"""Call cycles among src/core files, from the object files' symbols.

Usage: scripts/core-cycles.py BUILD_DIR
An edge A -> B means A.o references (nm: U) a function B.o defines (T).
Prints every edge and the strongly connected components with more than
one file (each is a set of files that call each other in a cycle).
"""
import glob, os, subprocess, sys

objs = glob.glob(os.path.join(sys.argv[1], "libviogpu-core.a.p", "src_core_*.o"))
defs, uses = {}, {}
for o in objs:
    name = os.path.basename(o)[len("src_core_"):-len(".c.o")]
    out = subprocess.run(["nm", o], capture_output=True, text=True).stdout
    uses[name] = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "T":
            defs[parts[2]] = name
        elif len(parts) == 2 and parts[0] == "U":
            uses[name].add(parts[1])
edges = {n: sorted({defs[s] for s in u if s in defs and defs[s] != n})
         for n, u in uses.items()}
for n in sorted(edges):
    print(f"{n} -> {' '.join(edges[n])}")
# Tarjan's SCC
idx, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
def visit(v):
    idx[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in idx:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], idx[w])
    if low[v] == idx[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        sccs.append(sorted(comp))
for v in sorted(edges):
    if v not in idx: visit(v)
cyc = [c for c in sccs if len(c) > 1]
print(f"cycles: {len(cyc)} strongly connected group(s)")
for c in cyc:
    print("  " + " <-> ".join(c))
