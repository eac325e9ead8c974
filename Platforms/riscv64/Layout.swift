// The layout the trap entry (start.S) relies on, which trap_state.h describes once: the
// platform's words in a TCB, and a boot-time check that the kernel core's own layout (the TCB
// and the register numbering, which the core defines) is the one the header gives start.S.

import CRISCVPlatform
import KernelCore

extension Thread {
    /// The platform's words at the start of this TCB's platform area (trap_state.h).
    var platformWords: UnsafeMutablePointer<swiftl4_thread_platform_t> {
        platformArea.assumingMemoryBound(to: swiftl4_thread_platform_t.self)
    }
}

/// Stops the machine if the kernel core's TCB or register file is not laid out as
/// trap_state.h tells start.S (the C side asserts the header against sel4.h at compile time).
func checkTrapLayout() {
    func check(_ holds: Bool, _ what: String) {
        if !holds { panic("trap_state.h does not match the kernel core: \(what)") }
    }
    // Never dereferenced: only the offsets the kernel core computes from a TCB's base.
    let probe = Thread(base: UnsafeMutableRawPointer(bitPattern: UInt(0x1000))!)
    check(probe.base.distance(to: UnsafeMutableRawPointer(probe.registers)) == Int(SWIFTL4_TCB_TO_REGISTERS),
          "TCB to register file")
    check(UnsafeMutableRawPointer(probe.registers).distance(to: probe.platformArea) == Int(SWIFTL4_REGISTERS_TO_PLATFORM_AREA),
          "register file to platform area")
    check(MemoryLayout<swiftl4_thread_platform_t>.size <= Thread.platformAreaBytes, "platform words")
    check(MemoryLayout<seL4_UserContext>.size == RegisterFile.userContextWords * 8
          && RegisterFile.faultIP >= RegisterFile.userContextWords, "seL4_UserContext")
    // The registers the platform and the trap entry both name.
    let named: [(index: Int, offset: Int32, name: String)] = [
        (RegisterFile.pc, SWIFTL4_UC_PC, "pc"), (RegisterFile.sp, SWIFTL4_UC_SP, "sp"),
        (RegisterFile.capRegister, SWIFTL4_UC_A0, "cap register"), (RegisterFile.msgInfoRegister, SWIFTL4_UC_A1, "msgInfo register"),
        (RegisterFile.argumentRegister(0), SWIFTL4_UC_A0, "a0"), (RegisterFile.argumentRegister(1), SWIFTL4_UC_A1, "a1"),
        (RegisterFile.argumentRegister(7), SWIFTL4_UC_A7, "a7"),
        (RegisterFile.messageRegisters(0), SWIFTL4_UC_A2, "MR0"), (RegisterFile.messageRegisters(1), SWIFTL4_UC_A3, "MR1"),
        (RegisterFile.messageRegisters(2), SWIFTL4_UC_A4, "MR2"), (RegisterFile.messageRegisters(3), SWIFTL4_UC_A5, "MR3"),
    ]
    for register in named {
        check(register.index * MemoryLayout<Word>.size == Int(register.offset), register.name)
    }
}
