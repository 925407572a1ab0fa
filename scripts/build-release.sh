#!/usr/bin/env bash
# The production build of the server: optimized, with the Swift runtime and libraries linked in
# (--static-swift-stdlib: one file to deploy, and only the parts of them that are used end up
# mapped) and, where glibc can load them (2.36 and later), relative relocations packed (DT_RELR:
# 1.5 MB of relocation table not read at every start). BENCHMARKS.md's figures use this build.
#
#   scripts/build-release.sh            # prints the binary's path
#   scripts/build-release.sh --jobs 1   # extra arguments go to `swift build`
set -euo pipefail
cd "$(dirname "$0")/.."

flags=(-c release --product sugarmill --static-swift-stdlib)
glibc=$(ldd --version 2>/dev/null | head -n 1 | grep -oE '[0-9]+\.[0-9]+$' || true)
if [ -n "$glibc" ] && [ "$(printf '%s\n%s\n' 2.36 "$glibc" | sort -V | head -n 1)" = 2.36 ]; then
    flags+=(-Xlinker -z -Xlinker pack-relative-relocs)
fi
swift build "${flags[@]}" "$@" >&2
echo "$(swift build "${flags[@]}" --show-bin-path)/sugarmill"
