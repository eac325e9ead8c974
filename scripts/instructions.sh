#!/usr/bin/env bash
# Instructions per IPC round trip, counted by callgrind (deterministic, unlike time): runs the
# hosted Call/ReplyRecv benchmark with two round-trip counts and divides the difference, so
# boot, loading and warm-up cancel out. fastpath-registers passes the word in a register both ways
# (seL4_CallWithMRs), the user loop seL4's 489 is counted with; fastpath uses libsel4's
# buffer-reading stubs (seL4: 505). Usage: scripts/instructions.sh [fastpath fastpath-registers slowpath cap]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is required (apt-get install valgrind)" >&2; exit 1; }
swift build -c release --product swiftl4 >/dev/null
binary=$(mktemp /tmp/swiftl4-callgrind.XXXXXX)
trap 'rm -f "$binary" /tmp/swiftl4-cg.$$.*' EXIT
# valgrind 3.19 cannot read the DWARF Swift emits; the symbol table is enough.
cp .build/release/swiftl4 "$binary"
strip --strip-debug "$binary"
chmod +x "$binary"
small=1000 large=11000
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(fastpath fastpath-registers slowpath cap)
for kind in "${kinds[@]}"; do
  for n in $small $large; do
    valgrind --tool=callgrind --callgrind-out-file=/tmp/swiftl4-cg.$$.$n "$binary" bench --only "$kind" --round-trips $n \
      2>/tmp/swiftl4-cg.$$.log >/dev/null
    grep -o 'Collected : [0-9]*' /tmp/swiftl4-cg.$$.log | awk '{print $3}' > /tmp/swiftl4-cg.$$.count.$n
  done
  a=$(cat /tmp/swiftl4-cg.$$.count.$small) b=$(cat /tmp/swiftl4-cg.$$.count.$large)
  echo "$kind: $(( (b - a) / (large - small) )) instructions per round trip"
done
