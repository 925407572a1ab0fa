#!/usr/bin/env python3
"""Picks a small seed corpus for Fuzz/seeds/<target> from a grown one (RELIABILITY.md, "Fuzzing").

    cd Fuzz && .build/release/<T> -merge=1 -merge_control_file=/tmp/ctl -max_len=65536 "$(mktemp -d)" corpus/<T>
    python3 pick-seeds.py /tmp/ctl seeds/<T> [count=60] [max_bytes=100000]

Greedy set cover over the merge control file's features (FT lines): each step takes the input
with the most not-yet-covered features per (size + 4 kB), so small inputs win ties.
"""
import os
import shutil
import sys

control, out_dir = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 60
max_bytes = int(sys.argv[4]) if len(sys.argv) > 4 else 100_000

lines = open(control).read().split("\n")
n = int(lines[0])
files = lines[2:2 + n]
features, sizes = {}, {}
for line in lines[2 + n:]:
    fields = line.split()
    if fields and fields[0] == "STARTED":
        sizes[int(fields[1])] = int(fields[2])
    elif fields and fields[0] == "FT":
        features[int(fields[1])] = set(map(int, fields[2:]))

covered, chosen, used = set(), [], 0
while len(chosen) < count:
    best, best_score = None, 0.0
    for i, f in features.items():
        if i in chosen or used + sizes[i] > max_bytes:
            continue
        score = len(f - covered) / (sizes[i] + 4096)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        break
    chosen.append(best)
    covered |= features[best]
    used += sizes[best]

os.makedirs(out_dir, exist_ok=True)
for i in chosen:
    shutil.copy(files[i], os.path.join(out_dir, os.path.basename(files[i])))
total = len(set().union(*features.values())) if features else 0
print(f"{len(chosen)} inputs, {used} bytes, {len(covered)} of {total} features")
