#!/usr/bin/env bash
# Fails if an instruction count rises more than 3% above scripts/instruction-baseline.txt (issue
# 16). The counts are deterministic, so this tests the code, not the machine. Hosted rows come
# from scripts/instructions.sh; riscv64 rows from the log of `Platforms/riscv64/build.sh --run`
# given as the argument (without it only the hosted rows are checked).
# Usage: scripts/check-instructions.sh [riscv64-log]
# With SWIFTL4_UPDATE_BASELINE=1 it writes the measured counts into the baseline instead (for
# the commit that lowers them).
set -euo pipefail
cd "$(dirname "$0")/.."
measured=$(mktemp)
trap 'rm -f "$measured"' EXIT
scripts/instructions.sh | sed -n 's/^\([a-z-]*\): \([0-9]*\) instructions per round trip$/\1 \2/p' \
  | sed 's/^fastpath-registers/hosted-fastpath-registers/; s/^fastpath /hosted-fastpath /; s/^slowpath/hosted-slowpath-10-words/; s/^cap/hosted-cap/' >> "$measured"
if [ $# -gt 0 ]; then
  tr -d '\r' < "$1" | python3 -c '
import re, sys
names = {"1 word, fastpath": "riscv64-fastpath", "1 word, fastpath off (slowpath)": "riscv64-fastpath-off",
         "10 words (slowpath)": "riscv64-slowpath-10-words"}
for line in sys.stdin:
    m = re.match(r"measure: Call/ReplyRecv between two address spaces, (.*): (\d+) instructions per round trip", line)
    if m: print(names[m.group(1)], m.group(2))
    m = re.match(r"measure: one way, .*\), (.*): Call (\d+) \+ ReplyRecv (\d+) =", line)
    if m:
        suffix = {"1 word, fastpath": "", "10 words (slowpath)": "-10-words",
                  "1 word, fastpath, FPU enabled in both threads": "-fpu",
                  "0 words, fastpath, server FPU disabled": "-registers", "0 words, fastpath, FPU enabled in both threads": "-registers-fpu"}[m.group(1)]
        print("riscv64-one-way-call" + suffix, m.group(2))
        print("riscv64-one-way-replyrecv" + suffix, m.group(3))
' >> "$measured"
fi
SWIFTL4_UPDATE_BASELINE=${SWIFTL4_UPDATE_BASELINE:-0} python3 - "$measured" "$#" <<'PYEOF'
import os, re, sys
if os.environ["SWIFTL4_UPDATE_BASELINE"] == "1":
    text = open("scripts/instruction-baseline.txt").read()
    for line in open(sys.argv[1]):
        name, count = line.split()
        text = re.sub(rf"^{re.escape(name)} \d+$", f"{name} {count}", text, flags=re.M)
    open("scripts/instruction-baseline.txt", "w").write(text)
    print(open("scripts/instruction-baseline.txt").read())
    sys.exit(0)
baseline = {}
for line in open("scripts/instruction-baseline.txt"):
    if line.strip() and not line.startswith("#"):
        name, count = line.split()
        baseline[name] = int(count)
failed = False
seen = set()
for line in open(sys.argv[1]):
    name, count = line.split()
    count = int(count)
    seen.add(name)
    if name not in baseline:
        print(f"{name}: {count} (no baseline line: add one)"); failed = True; continue
    limit = baseline[name] * 103 // 100
    verdict = "ok" if count <= limit else f"REGRESSED: above {limit} (baseline {baseline[name]} + 3%)"
    if count < baseline[name] * 97 // 100: verdict += f"; more than 3% below the baseline: lower its line to {count}"
    print(f"{name}: {count} (baseline {baseline[name]}) {verdict}")
    failed |= count > limit
riscv_checked = sys.argv[2] != "0"
missing = [n for n in baseline if n not in seen and (n.startswith("hosted") or riscv_checked)]
for name in missing:
    print(f"{name}: not measured"); failed = True
sys.exit(1 if failed else 0)
PYEOF
