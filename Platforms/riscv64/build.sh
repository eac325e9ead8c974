#!/usr/bin/env bash
# Builds SwiftL4's kernel core as an Embedded Swift image for QEMU `virt` (riscv64) and runs it.
# Needs qemu-system-misc, opensbi and gcc-riscv64-unknown-elf (for libgcc.a) from Debian.
# Usage: Platforms/riscv64/build.sh [--run]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/.build-riscv64"
mkdir -p "$out"
toolchain=$(dirname "$(dirname "$(command -v swiftc)")")
CFLAGS="--target=riscv64-none-elf -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -ffreestanding -fno-builtin -nostdlib -O2"
clang $CFLAGS -c "$here/start.S" -o "$out/start.o"
clang $CFLAGS -c "$here/support.c" -o "$out/support.o"
clang $CFLAGS -c "$here/user.c" -o "$out/user.o"
swiftc -target riscv64-none-none-eabi -enable-experimental-feature Embedded -wmo -parse-as-library -Osize \
  -swift-version 6 -Xcc -mcmodel=medany -Xllvm -code-model=medium \
  -module-name kernel -c "$root"/Sources/KernelCore/*.swift "$here/Main.swift" -o "$out/kernel.o"
libgcc=$(riscv64-unknown-elf-gcc -march=rv64imac -mabi=lp64 -print-libgcc-file-name)
"$toolchain/bin/ld.lld" -T "$here/linker.ld" --gc-sections -o "$out/swiftl4.elf" \
  "$out/start.o" "$out/support.o" "$out/user.o" "$out/kernel.o" \
  "$toolchain/lib/swift/embedded/riscv64-none-none-eabi/libswiftUnicodeDataTables.a" "$libgcc"
echo "built $out/swiftl4.elf"
if [ "${1:-}" = "--run" ]; then
  timeout 30 qemu-system-riscv64 -machine virt -nographic -bios default -kernel "$out/swiftl4.elf"
fi
