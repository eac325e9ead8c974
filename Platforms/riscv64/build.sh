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
# The tutorial's programs: the same server.c and client.c the hosted tutorial runs, compiled for
# riscv64 against sel4/sel4.h (its riscv64 stubs trap with ecall), each linked as its own ELF.
UFLAGS="$CFLAGS -I $here/user/include -I $root/Sources/CSeL4/include"
clang $UFLAGS -c "$here/user/userlib.c" -o "$out/userlib.o"
build_program() { # name base sources...
  local name=$1 base=$2; shift 2
  local objects=()
  for source in "$@"; do
    local file=${source%% *} flags=""
    [[ "$source" == *" "* ]] && flags=${source#* }
    local object="$out/$name-$(basename "$file" .c).o"
    clang $UFLAGS $flags -c "$file" -o "$object"
    objects+=("$object")
  done
  "$toolchain/bin/ld.lld" -T "$here/user/program.ld" --defsym=BASE=$base -o "$out/$name.elf" "$out/userlib.o" "${objects[@]}"
}
build_program server 0x84000000 "$root/Examples/ipc-tutorial/server.c" "$here/user/server-caps.c"
build_program client1 0x84400000 "$root/Examples/ipc-tutorial/client.c -DCLIENT_ID=1" "$here/user/client-caps.c"
build_program client2 0x84800000 "$root/Examples/ipc-tutorial/client.c -DCLIENT_ID=2" "$here/user/client-caps.c"
clang $CFLAGS -DPROGRAM0="\"$out/server.elf\"" -DPROGRAM1="\"$out/client1.elf\"" -DPROGRAM2="\"$out/client2.elf\"" \
  -c "$here/programs.S" -o "$out/programs.o"
swiftc -target riscv64-none-none-eabi -enable-experimental-feature Embedded -wmo -parse-as-library -Osize \
  -swift-version 6 -Xcc -mcmodel=medany -Xllvm -code-model=medium \
  -module-name kernel -c "$root"/Sources/KernelCore/*.swift "$here/Main.swift" -o "$out/kernel.o"
libgcc=$(riscv64-unknown-elf-gcc -march=rv64imac -mabi=lp64 -print-libgcc-file-name)
"$toolchain/bin/ld.lld" -T "$here/linker.ld" --gc-sections -o "$out/swiftl4.elf" \
  "$out/start.o" "$out/support.o" "$out/user.o" "$out/programs.o" "$out/kernel.o" \
  "$toolchain/lib/swift/embedded/riscv64-none-none-eabi/libswiftUnicodeDataTables.a" "$libgcc"
echo "built $out/swiftl4.elf"
if [ "${1:-}" = "--run" ]; then
  timeout 30 qemu-system-riscv64 -machine virt -nographic -bios default -kernel "$out/swiftl4.elf"
fi
