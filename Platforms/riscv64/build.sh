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
# start.S and support.c share trap_state.h (the layout of the trap state, TCBs and register
# files) with the platform's Swift code, which asserts against sel4.h's seL4_UserContext.
clang $CFLAGS -I "$root/Sources/CSeL4/include" -c "$here/start.S" -o "$out/start.o"
clang $CFLAGS -I "$root/Sources/CSeL4/include" -c "$here/support.c" -o "$out/support.o"
clang $CFLAGS -c "$here/memory.c" -o "$out/memory.o"
# The FPU's save and restore need the F and D instructions (the ABI stays lp64).
clang ${CFLAGS/rv64imac_zicsr_zifencei/rv64imafdc_zicsr_zifencei} -I "$root/Sources/CSeL4/include" -c "$here/fpu.c" -o "$out/fpu.o"
# The user programs: the tutorial's server.c and client.c (the hosted sources, compiled for
# riscv64 against sel4/sel4.h, whose riscv64 stubs trap with ecall) and the bare-metal scenes'
# own programs in user/, each linked as its own ELF image. Every program runs in its own
# address space, so the clients share a link address; the server sits elsewhere, so that the
# snoop can try the server's addresses. Their order is the loader's program numbering
# (ELFLoader.swift, `Program`).
UFLAGS="$CFLAGS -I $here/user/include -I $here/user -I $root/Sources/CSeL4/include"
clang $UFLAGS -c "$here/user/userlib.c" -o "$out/userlib.o"
programs=()
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
  programs+=("$out/$name.elf")
}
build_program server 0x400000 "$root/Examples/ipc-tutorial/server.c" "$here/user/server-caps.c"
build_program client1 0x10000 "$root/Examples/ipc-tutorial/client.c -DCLIENT_ID=1" "$here/user/client-caps.c"
build_program client2 0x10000 "$root/Examples/ipc-tutorial/client.c -DCLIENT_ID=2" "$here/user/client-caps.c"
for name in monitor snoop badinput pingpong floor preempt; do
  build_program $name 0x10000 "$here/user/$name.c"
done
# A root task of our own, booted as seL4 boots one (`swiftl4 qemu boot`, .ci/run): compiled for
# lp64d like sel4test's programs, so its threads use the FPU.
RFLAGS="${UFLAGS/rv64imac_zicsr_zifencei -mabi=lp64/rv64imafdc_zicsr_zifencei -mabi=lp64d} -DSWL4_ROOT_TASK"
clang $RFLAGS -c "$here/user/userlib.c" -o "$out/roottask-userlib.o"
clang $RFLAGS -c "$here/user/roottask.c" -o "$out/roottask.o"
clang $RFLAGS -c "$here/memory.c" -o "$out/roottask-memory.o"
"$toolchain/bin/ld.lld" -T "$here/user/program.ld" --defsym=BASE=0x10000 -o "$out/roottask.elf" \
  "$out/roottask.o" "$out/roottask-userlib.o" "$out/roottask-memory.o"
# The same root task made to die of a fault early on, which the kernel reports.
clang $RFLAGS -DSWL4_ROOT_TASK_DIES -c "$here/user/roottask.c" -o "$out/roottask-dies.o"
"$toolchain/bin/ld.lld" -T "$here/user/program.ld" --defsym=BASE=0x400000 -o "$out/roottask-dies.elf" \
  "$out/roottask-dies.o" "$out/roottask-userlib.o" "$out/roottask-memory.o"
# The tutorial again in Embedded Swift: the hosted Swift tutorial's programs
# (Examples/ipc-tutorial/Swift/IPCTutorialPrograms.swift) with user/swift/Entry.swift, against the SeL4 module
# (Sources/SeL4), which reaches libsel4's names in sel4.h through a module map: the ABI's Swift
# types (SeL4ABI) and the SeL4 module compiled for user mode, one image for the three roles.
EMB="-target riscv64-none-none-eabi -enable-experimental-feature Embedded -wmo -parse-as-library -Osize -swift-version 6 -Xcc -mcmodel=medany -Xllvm -code-model=medium"
# SeL4ABI first, as its own Embedded module: both the user programs (through SeL4) and the
# kernel image import it. Its members on the IPC path are @inlinable, so the kernel's -O code
# folds them in whatever this module's own optimisation level.
flock /tmp/swift-build.lock swiftc $EMB -module-name SeL4ABI -emit-module -emit-module-path "$out/SeL4ABI.swiftmodule" \
  -c "$root"/Sources/SeL4ABI/*.swift -o "$out/SeL4ABI.o"
printf 'module CSeL4 {\n    header "%s"\n    export *\n}\n' "$root/Sources/CSeL4/include/sel4/sel4.h" > "$out/module.modulemap"
SWIFT_USER="-I $out -Xcc -fmodule-map-file=$out/module.modulemap -Xcc -I$root/Sources/CSeL4/include"
flock /tmp/swift-build.lock swiftc $EMB -module-name SeL4 $SWIFT_USER -emit-module -emit-module-path "$out/SeL4.swiftmodule" \
  -c "$root/Sources/SeL4/SeL4.swift" -o "$out/user-SeL4.o"
flock /tmp/swift-build.lock swiftc $EMB -module-name SwiftTutorial $SWIFT_USER \
  -c "$root/Examples/ipc-tutorial/Swift/IPCTutorialPrograms.swift" "$here/user/swift/Entry.swift" -o "$out/swift-tutorial.o"
clang $UFLAGS -c "$here/user/swiftrt.c" -o "$out/swiftrt.o"
libgcc=$(riscv64-unknown-elf-gcc -march=rv64imac -mabi=lp64 -print-libgcc-file-name)
"$toolchain/bin/ld.lld" -T "$here/user/program.ld" --defsym=BASE=0x10000 --gc-sections -o "$out/swift-tutorial.elf" \
  "$out/userlib.o" "$out/swiftrt.o" "$out/memory.o" "$out/swift-tutorial.o" "$out/user-SeL4.o" "$out/SeL4ABI.o" \
  "$toolchain/lib/swift/embedded/riscv64-none-none-eabi/libswiftUnicodeDataTables.a" "$libgcc"
programs+=("$out/swift-tutorial.elf")
# The images, carried in the kernel's read-only data, with a table of where each starts and ends.
{
  echo '    .section .rodata'
  for i in "${!programs[@]}"; do
    printf '    .balign 16\nprogram%d_start: .incbin "%s"\nprogram%d_end:\n' "$i" "${programs[$i]}" "$i"
  done
  echo '    .balign 8'
  echo '    .globl swiftl4_program_table, swiftl4_program_count'
  echo 'swiftl4_program_count: .quad' "${#programs[@]}"
  echo 'swiftl4_program_table:'
  for i in "${!programs[@]}"; do echo "    .quad program${i}_start, program${i}_end"; done
} > "$out/programs.S"
clang $CFLAGS -c "$out/programs.S" -o "$out/programs.o"
# The kernel image: the kernel core as its own module (the kernel's flags, its own directory),
# against the SeL4ABI module above, then the platform, which imports it and sees only its
# public API. The platform reaches its C headers (trap_state.h, user/slots.h)
# and sel4.h through module maps: the slot numbers and object types are the C ones.
# Embedded Swift serialises the core's function bodies, so the platform still inlines the hot
# path (handleSyscall, the fastpath) across the module boundary; -function-sections lets
# --gc-sections drop the public core functions the image never calls. (swiftc keeps an object
# whose IR is unchanged, whatever the codegen flags: delete the .o files after changing those.)
KERNEL="-target riscv64-none-none-eabi -enable-experimental-feature Embedded -wmo -parse-as-library -O -enforce-exclusivity=unchecked \
  -swift-version 6 -Xcc -mcmodel=medany -Xllvm -code-model=medium -Xfrontend -function-sections"
mkdir -p "$out/kernel"
flock /tmp/swift-build.lock swiftc $KERNEL -module-name KernelCore -I "$out" -emit-module -emit-module-path "$out/kernel/KernelCore.swiftmodule" \
  -c "$root"/Sources/KernelCore/*.swift -o "$out/kernel-KernelCore.o"
flock /tmp/swift-build.lock swiftc $KERNEL -module-name RISCVPlatform -I "$out/kernel" -I "$out" \
  -Xcc -fmodule-map-file="$out/module.modulemap" -Xcc -fmodule-map-file="$here/platform.modulemap" \
  -Xcc -I"$root/Sources/CSeL4/include" \
  -c "$here"/*.swift -o "$out/kernel-platform.o"
"$toolchain/bin/ld.lld" -T "$here/linker.ld" --gc-sections -o "$out/swiftl4.elf" \
  "$out/start.o" "$out/support.o" "$out/memory.o" "$out/fpu.o" "$out/programs.o" "$out/kernel-platform.o" "$out/kernel-KernelCore.o" "$out/SeL4ABI.o" \
  "$toolchain/lib/swift/embedded/riscv64-none-none-eabi/libswiftUnicodeDataTables.a" "$libgcc"
echo "built $out/swiftl4.elf"
# -icount shift=0: one instruction per virtual nanosecond, so the run is deterministic (timer
# interrupts land on the same instruction every time) and rdinstret counts exactly.
if [ "${1:-}" = "--run" ]; then
  timeout 120 qemu-system-riscv64 -machine virt -nographic -bios default -icount shift=0 -no-reboot -kernel "$out/swiftl4.elf"
fi
