import CSeL4
import Foundation
import KernelCore
import SeL4ABI
import Testing

// SeL4ABI states the ABI's numbers once for the kernel and the Swift user side; sel4/sel4.h
// states them for C programs. These tests hold the two to each other, in two ways:
//
// 1. In Swift, against the header as the host's clang importer sees it (CSeL4): every case of
//    the CaseIterable enums has a row naming its C twin, and the bit layouts of the tag, rights
//    and CNode cap data agree with the header's inline constructors.
// 2. In C, for every architecture: a generated file of `_Static_assert`s, one per constant
//    (C expression == Swift value), compiled by clang against the header for x86_64, aarch64
//    and riscv64. This reaches what the importer cannot (function-like macros such as
//    `seL4_MsgMaxExtraCaps`, struct offsets) and the other architectures' branches of the
//    header. The enums' rows come from their `cName`s, so a Swift case whose name has no C
//    constant fails to compile, as does one with the wrong value.

/// One fact: a C expression over sel4.h and the value SeL4ABI gives it.
struct ABIRow: CustomStringConvertible {
    var c: String
    var swift: Int64
    var description: String { "\(c) == \(swift)" }
}

private func row(_ c: String, _ swift: some BinaryInteger) -> ABIRow { ABIRow(c: c, swift: Int64(swift)) }

/// The rows every architecture shares.
let commonRows: [ABIRow] =
    Syscall.allCases.map { row($0.cName, $0.rawValue) }
    + [row("seL4_SysDebugNameThread", Syscall.allCases.map(\.rawValue).min()!)]
    + InvocationLabel.allCases.map { row("\($0.cName)", $0.rawValue) }
    + [row("nInvocationLabels", InvocationLabel.count)]
    + ErrorCode.allCases.map { row($0.cName, $0.rawValue) }
    + [row("seL4_NumErrors", ErrorCode.count)]
    + LookupFailureType.allCases.map { row($0.cName, $0.rawValue) }
    + FaultType.allCases.map { row($0.cName, $0.rawValue) }
    + [
        row("seL4_CapFault_IP", FaultMessage.CapFault.ip),
        row("seL4_CapFault_Addr", FaultMessage.CapFault.address),
        row("seL4_CapFault_InRecvPhase", FaultMessage.CapFault.inReceivePhase),
        row("seL4_CapFault_LookupFailureType", FaultMessage.CapFault.lookupFailureType),
        row("seL4_CapFault_BitsLeft", FaultMessage.CapFault.bitsLeft),
        row("seL4_CapFault_DepthMismatch_BitsFound", FaultMessage.CapFault.depthMismatchBitsFound),
        row("seL4_CapFault_GuardMismatch_GuardFound", FaultMessage.CapFault.guardMismatchGuardFound),
        row("seL4_CapFault_GuardMismatch_BitsFound", FaultMessage.CapFault.guardMismatchBitsFound),
        row("seL4_VMFault_IP", FaultMessage.VMFault.ip),
        row("seL4_VMFault_Addr", FaultMessage.VMFault.address),
        row("seL4_VMFault_PrefetchFault", FaultMessage.VMFault.prefetchFault),
        row("seL4_VMFault_FSR", FaultMessage.VMFault.fsr),
        row("seL4_VMFault_Length", FaultMessage.VMFault.length),
        row("seL4_TCBFlag_NoFlag", ThreadFlag.noFlag),
        row("seL4_TCBFlag_fpuDisabled", ThreadFlag.fpuDisabled),
        row("seL4_TCBFlag_MASK", ThreadFlag.mask),
        row("seL4_UntypedObject", ObjectType.untyped),
        row("seL4_TCBObject", ObjectType.thread),
        row("seL4_EndpointObject", ObjectType.endpoint),
        row("seL4_NotificationObject", ObjectType.notification),
        row("seL4_CapTableObject", ObjectType.cnode),
        row("seL4_NonArchObjectTypeCount", ObjectType.nonArchCount),
        row("seL4_WordBits", Constants.wordBits),
        row("seL4_MsgLengthBits", Constants.msgLengthBits),
        row("seL4_MsgExtraCapBits", Constants.msgExtraCapBits),
        row("seL4_MsgMaxLength", Constants.msgMaxLength),
        row("seL4_MsgMaxExtraCaps", Constants.msgMaxExtraCaps),
        row("seL4_CapRightsBits", Constants.capRightsBits),
        row("seL4_BadgeBits", Constants.badgeBits),
        row("seL4_GuardBits", Constants.guardBits),
        row("seL4_GuardSizeBits", Constants.guardSizeBits),
        row("seL4_IPCBufferSizeBits", Constants.ipcBufferSizeBits),
        row("sizeof(seL4_IPCBuffer)", 1 << Constants.ipcBufferSizeBits),
        row("sizeof(seL4_IPCBuffer) / sizeof(seL4_Word)", Constants.ipcBufferWords),
        row("SEL4_OFFSETOF(seL4_IPCBuffer, tag) / sizeof(seL4_Word)", 0),
        row("SEL4_OFFSETOF(seL4_IPCBuffer, msg) / sizeof(seL4_Word)", Constants.ipcBufferMsg),
        row("SEL4_OFFSETOF(seL4_IPCBuffer, userData) / sizeof(seL4_Word)", Constants.ipcBufferUserData),
        row("SEL4_OFFSETOF(seL4_IPCBuffer, caps_or_badges) / sizeof(seL4_Word)", Constants.ipcBufferCapsOrBadges),
        row("SEL4_OFFSETOF(seL4_IPCBuffer, receiveCNode) / sizeof(seL4_Word)", Constants.ipcBufferReceiveCNode),
        row("SEL4_OFFSETOF(seL4_IPCBuffer, receiveIndex) / sizeof(seL4_Word)", Constants.ipcBufferReceiveIndex),
        row("SEL4_OFFSETOF(seL4_IPCBuffer, receiveDepth) / sizeof(seL4_Word)", Constants.ipcBufferReceiveDepth),
        row("seL4_MinPrio", Constants.minPriority),
        row("seL4_MaxPrio", Constants.maxPriority),
        row("CONFIG_NUM_PRIORITIES", Constants.numPriorities),
        row("seL4_SlotBits", Constants.slotBits),
        row("seL4_EndpointBits", Constants.endpointBits),
        row("seL4_NotificationBits", Constants.notificationBits),
        row("seL4_TCBBits", Constants.threadBits),
        row("seL4_PageBits", Constants.pageBits),
        row("seL4_LargePageBits", Constants.largePageBits),
        row("seL4_HugePageBits", Constants.hugePageBits),
        row("seL4_PageTableBits", Constants.pageTableBits),
        row("seL4_MinUntypedBits", Constants.minUntypedBits),
        row("seL4_UntypedRetypeMaxObjects", Constants.retypeFanOutLimit),
        row("CONFIG_RETYPE_FAN_OUT_LIMIT", Constants.retypeFanOutLimit),
        row("CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS", maxBootInfoUntypeds),
        row("seL4_CapNull", InitialSlot.null),
        row("seL4_CapInitThreadTCB", InitialSlot.thread),
        row("seL4_CapInitThreadCNode", InitialSlot.cnode),
        row("seL4_CapInitThreadVSpace", InitialSlot.vspace),
        row("seL4_CapIRQControl", InitialSlot.irqControl),
        row("seL4_CapASIDControl", InitialSlot.asidControl),
        row("seL4_CapInitThreadASIDPool", InitialSlot.asidPool),
        row("seL4_CapIOPortControl", InitialSlot.ioPortControl),
        row("seL4_CapIOSpace", InitialSlot.ioSpace),
        row("seL4_CapBootInfoFrame", InitialSlot.bootInfoFrame),
        row("seL4_CapInitThreadIPCBuffer", InitialSlot.ipcBuffer),
        row("seL4_CapDomain", InitialSlot.domain),
        row("seL4_NumInitialCaps", InitialSlot.count),
    ]

/// An architecture's fault-message lengths and the words placed from the end (FAULT-6): the
/// syscall number last; Number and Code the last two words of a UserException.
private func faultLengthRows(unknownSyscall: Int, userException: Int) -> [ABIRow] {
    [
        row("seL4_UnknownSyscall_Length", unknownSyscall),
        row("seL4_UnknownSyscall_Syscall", unknownSyscall - 1),
        row("seL4_UserException_Length", userException),
        row("seL4_UserException_Number", userException - 2),
        row("seL4_UserException_Code", userException - 1),
    ]
}

/// Each architecture's own rows, by the clang target that compiles the header for it.
let architectureRows: [(target: String, rows: [ABIRow])] = [
    ("x86_64-linux-gnu", [
        row("X86PageGetAddress", X86InvocationLabel.pageGetAddress),
        row("seL4_X86_PDPTObject", ObjectType.X86_64.pdpt),
        row("seL4_X64_PML4Object", ObjectType.X86_64.pml4),
        row("seL4_X64_HugePageObject", ObjectType.X86_64.hugePage),
        row("seL4_X86_4K", ObjectType.X86_64.smallPage),
        row("seL4_X86_LargePageObject", ObjectType.X86_64.largePage),
        row("seL4_X86_PageTableObject", ObjectType.X86_64.pageTable),
        row("seL4_X86_PageDirectoryObject", ObjectType.X86_64.pageDirectory),
        row("seL4_ObjectTypeCount", ObjectType.X86_64.count),
    ] + faultLengthRows(unknownSyscall: FaultMessage.UnknownSyscall.lengthX86_64,
                        userException: FaultMessage.UserException.lengthX86_64) + [
        row("seL4_MaxUntypedBits", Constants.maxUntypedBitsX86_64AArch64),
        // libsel4 defines seL4_FastMessageRegisters for x86 and ARM only.
        row("seL4_FastMessageRegisters", Constants.fastMessageRegisters),
    ]),
    ("aarch64-linux-gnu", [
        row("ARMPageGetAddress", ARMInvocationLabel.pageGetAddress),
        row("seL4_ARM_HugePageObject", ObjectType.AArch64.hugePage),
        row("seL4_ARM_VSpaceObject", ObjectType.AArch64.vspace),
        row("seL4_ARM_SmallPageObject", ObjectType.AArch64.smallPage),
        row("seL4_ARM_LargePageObject", ObjectType.AArch64.largePage),
        row("seL4_ARM_PageTableObject", ObjectType.AArch64.pageTable),
        row("seL4_ObjectTypeCount", ObjectType.AArch64.count),
    ] + faultLengthRows(unknownSyscall: FaultMessage.UnknownSyscall.lengthAArch64,
                        userException: FaultMessage.UserException.lengthAArch64) + [
        row("seL4_MaxUntypedBits", Constants.maxUntypedBitsX86_64AArch64),
        // libsel4 defines seL4_FastMessageRegisters for x86 and ARM only.
        row("seL4_FastMessageRegisters", Constants.fastMessageRegisters),
    ]),
    ("riscv64-unknown-elf", [
        row("RISCVPageTableMap", RISCVInvocationLabel.pageTableMap),
        row("RISCVPageTableUnmap", RISCVInvocationLabel.pageTableUnmap),
        row("RISCVPageMap", RISCVInvocationLabel.pageMap),
        row("RISCVPageUnmap", RISCVInvocationLabel.pageUnmap),
        row("RISCVPageGetAddress", RISCVInvocationLabel.pageGetAddress),
        row("RISCVASIDControlMakePool", RISCVInvocationLabel.asidControlMakePool),
        row("RISCVASIDPoolAssign", RISCVInvocationLabel.asidPoolAssign),
        row("RISCVPageTableMap", RISCVInvocationLabel.all.lowerBound),
        row("RISCVASIDPoolAssign", RISCVInvocationLabel.all.upperBound),
        row("seL4_RISCV_Giga_Page", ObjectType.RISCV64.gigaPage),
        row("seL4_RISCV_4K_Page", ObjectType.RISCV64.smallPage),
        row("seL4_RISCV_Mega_Page", ObjectType.RISCV64.megaPage),
        row("seL4_RISCV_PageTableObject", ObjectType.RISCV64.pageTable),
        row("seL4_ObjectTypeCount", ObjectType.RISCV64.count),
    ] + faultLengthRows(unknownSyscall: FaultMessage.UnknownSyscall.lengthRISCV64,
                        userException: FaultMessage.UserException.lengthRISCV64) + [
        row("seL4_MaxUntypedBits", Constants.maxUntypedBitsRISCV64),
    ]),
]

/// The C file of `_Static_assert`s for `rows`: each names the constant and the Swift value, so
/// a failure says which fact disagrees.
func staticAssertions(_ rows: [ABIRow]) -> String {
    var lines = ["#include <sel4/sel4.h>"]
    for (i, row) in rows.enumerated() {
        let message = "\(row.c) is not \(row.swift), SeL4ABI's value".replacingOccurrences(of: "\"", with: "'")
        lines.append("_Static_assert((long long)(\(row.c)) == \(row.swift)LL, \"\(message)\"); /* row \(i) */")
    }
    return lines.joined(separator: "\n") + "\n"
}

/// Compiles `source` against sel4.h for `target` (syntax only); returns clang's status and
/// diagnostics.
func compile(_ source: String, target: String) throws -> (status: Int32, output: String) {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let include = root.appendingPathComponent("Sources/CSeL4/include").path
    let file = FileManager.default.temporaryDirectory
        .appendingPathComponent("swiftl4-abi-\(UUID().uuidString)-\(target).c")
    try source.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["clang", "--target=\(target)", "-fsyntax-only", "-ffreestanding", "-ferror-limit=0",
                         "-I", include, file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
}

/// The hosted libsel4 stub writes a call's registers straight into the TCB's register file
/// (`__swl4_registers`, laid out as seL4_UserContext) and the kernel reads them there: the
/// fields it names are the kernel's ABI registers (ABI-1), for the host's architecture.
let hostedRegisterRows: (target: String, rows: [ABIRow])? = {
    func word(_ field: String) -> String { "offsetof(seL4_UserContext, \(field)) / sizeof(seL4_Word)" }
    let rows = [
        row(word("SWL4_REG_CAP"), RegisterFile.capRegister),
        row(word("SWL4_REG_CAP"), RegisterFile.badgeRegister),
        row(word("SWL4_REG_INFO"), RegisterFile.msgInfoRegister),
        row(word("SWL4_REG_MR0"), RegisterFile.messageRegisters(0)),
        row(word("SWL4_REG_MR1"), RegisterFile.messageRegisters(1)),
        row(word("SWL4_REG_MR2"), RegisterFile.messageRegisters(2)),
        row(word("SWL4_REG_MR3"), RegisterFile.messageRegisters(3)),
        row("sizeof(seL4_UserContext) / sizeof(seL4_Word)", RegisterFile.userContextWords),
    ]
    #if arch(x86_64)
    return ("x86_64-linux-gnu", rows)
    #elseif arch(arm64)
    return ("aarch64-linux-gnu", rows)
    #else
    return nil
    #endif
}()

@Suite struct ABITests {
    /// The stub's register fields are the kernel's ABI registers in its register file.
    @Test func hostedStubWritesTheKernelsRegisters() throws {
        let host = try #require(hostedRegisterRows, "a hosted architecture")
        let result = try compile("#include <stddef.h>\n" + staticAssertions(host.rows), target: host.target)
        #expect(result.status == 0, "sel4.h's hosted stub disagrees with RegisterFile:\n\(result.output)")
    }

    /// Part 2: every row, for every architecture, as `_Static_assert`s clang must accept.
    @Test(arguments: architectureRows.map(\.target))
    func headerAgreesWithSeL4ABI(target: String) throws {
        let rows = commonRows + architectureRows.first { $0.target == target }!.rows
        let result = try compile(staticAssertions(rows), target: target)
        #expect(result.status == 0, "sel4.h for \(target) disagrees with SeL4ABI:\n\(result.output)")
    }

    /// The riscv64 labels against the list read off real seL4 16.x's build of sel4test
    /// (`../shared/conformance/invocation-labels-seL4-16.txt`, lines `NUMBER NAME`): every
    /// label sel4.h declares for riscv64 has seL4's number, generic and architecture ones alike.
    @Test func riscv64LabelsAreSeL4_16s() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let list = root.deletingLastPathComponent().appendingPathComponent("shared/conformance/invocation-labels-seL4-16.txt")
        let text = try String(contentsOf: list, encoding: .utf8)
        let rows = text.split(separator: "\n").compactMap { line -> ABIRow? in
            let fields = line.split(separator: " ")
            guard fields.count == 2, let number = Int(fields[0]) else { return nil }
            return row(String(fields[1]), number)
        }
        #expect(rows.count >= 40, "the label list has \(rows.count) rows")
        let result = try compile(staticAssertions(rows), target: "riscv64-unknown-elf")
        #expect(result.status == 0, "sel4.h's riscv64 labels are not seL4 16.x's:\n\(result.output)")
    }

    /// The checker itself: a wrong value must make clang fail, naming the constant.
    @Test func aWrongValueFails() throws {
        let result = try compile(staticAssertions([row("seL4_SysCall", 1)]), target: "x86_64-linux-gnu")
        #expect(result.status != 0)
        #expect(result.output.contains("seL4_SysCall is not 1"))
    }

    /// Part 1: the host's imported header, case by case. A Swift case missing from a table
    /// fails the coverage check; a C constant whose name changed fails to compile.
    @Test func enumsMatchTheImportedHeader() {
        let syscalls: [(Syscall, Int)] = [
            (.call, Int(seL4_SysCall.rawValue)), (.replyRecv, Int(seL4_SysReplyRecv.rawValue)),
            (.send, Int(seL4_SysSend.rawValue)), (.nbSend, Int(seL4_SysNBSend.rawValue)),
            (.recv, Int(seL4_SysRecv.rawValue)), (.reply, Int(seL4_SysReply.rawValue)),
            (.yield, Int(seL4_SysYield.rawValue)), (.nbRecv, Int(seL4_SysNBRecv.rawValue)),
            (.debugPutChar, Int(seL4_SysDebugPutChar.rawValue)),
            (.debugDumpScheduler, Int(seL4_SysDebugDumpScheduler.rawValue)),
            (.debugHalt, Int(seL4_SysDebugHalt.rawValue)), (.debugCapIdentify, Int(seL4_SysDebugCapIdentify.rawValue)),
            (.debugSnapshot, Int(seL4_SysDebugSnapshot.rawValue)), (.debugNameThread, Int(seL4_SysDebugNameThread.rawValue)),
        ]
        for (swift, c) in syscalls { #expect(swift.rawValue == c, "\(swift.cName)") }
        #expect(Set(syscalls.map(\.0)) == Set(Syscall.allCases), "a Syscall case has no row here")

        let errors: [(ErrorCode, UInt32)] = [
            (.noError, seL4_NoError.rawValue), (.invalidArgument, seL4_InvalidArgument.rawValue),
            (.invalidCapability, seL4_InvalidCapability.rawValue), (.illegalOperation, seL4_IllegalOperation.rawValue),
            (.rangeError, seL4_RangeError.rawValue), (.alignmentError, seL4_AlignmentError.rawValue),
            (.failedLookup, seL4_FailedLookup.rawValue), (.truncatedMessage, seL4_TruncatedMessage.rawValue),
            (.deleteFirst, seL4_DeleteFirst.rawValue), (.revokeFirst, seL4_RevokeFirst.rawValue),
            (.notEnoughMemory, seL4_NotEnoughMemory.rawValue),
        ]
        for (swift, c) in errors { #expect(swift.rawValue == Word(c), "\(swift.cName)") }
        #expect(Set(errors.map(\.0)) == Set(ErrorCode.allCases), "an ErrorCode case has no row here")
        #expect(ErrorCode.count == Word(seL4_NumErrors.rawValue))

        let faults: [(FaultType, UInt32)] = [
            (.nullFault, seL4_Fault_NullFault.rawValue), (.capFault, seL4_Fault_CapFault.rawValue),
            (.unknownSyscall, seL4_Fault_UnknownSyscall.rawValue),
            (.userException, seL4_Fault_UserException.rawValue), (.vmFault, seL4_Fault_VMFault.rawValue),
        ]
        for (swift, c) in faults { #expect(swift.rawValue == Word(c), "\(swift.cName)") }
        #expect(Set(faults.map(\.0)) == Set(FaultType.allCases), "a FaultType case has no row here")

        let lookups: [(LookupFailureType, Int)] = [
            (.noFailure, Int(seL4_NoFailure.rawValue)), (.invalidRoot, Int(seL4_InvalidRoot.rawValue)),
            (.missingCapability, Int(seL4_MissingCapability.rawValue)),
            (.depthMismatch, Int(seL4_DepthMismatch.rawValue)), (.guardMismatch, Int(seL4_GuardMismatch.rawValue)),
        ]
        for (swift, c) in lookups { #expect(swift.rawValue == Word(c), "\(swift.cName)") }
        #expect(Set(lookups.map(\.0)) == Set(LookupFailureType.allCases), "a LookupFailureType case has no row here")

        // Invocation labels: the C enum's values in order, 0 ..< nInvocationLabels.
        let labels: [UInt32] = [
            InvalidInvocation, UntypedRetype, TCBReadRegisters, TCBWriteRegisters, TCBCopyRegisters,
            TCBConfigure, TCBSetPriority, TCBSetMCPriority, TCBSetSchedParams, TCBSetIPCBuffer, TCBSetSpace,
            TCBSuspend, TCBResume, TCBBindNotification, TCBUnbindNotification, TCBSetTLSBase, TCBSetFlags,
            CNodeRevoke, CNodeDelete, CNodeCancelBadgedSends, CNodeCopy, CNodeMint, CNodeMove, CNodeMutate,
            CNodeRotate, CNodeSaveCaller, IRQIssueIRQHandler, IRQAckIRQ, IRQSetIRQHandler, IRQClearIRQHandler,
            DomainSetSet, DomainScheduleConfigure, DomainScheduleSetStart,
        ].map(\.rawValue)
        #expect(InvocationLabel.allCases.map(\.rawValue) == labels.map(Word.init))
        #expect(InvocationLabel.count == Word(nInvocationLabels.rawValue))
    }

    /// The bit layouts (MSG-1, RIGHTS-1, BADGE-2): Swift's constructors and accessors against
    /// the header's inline functions, on values that set every field to its edges.
    @Test func bitLayoutsMatchTheHeader() {
        let samples: [(Word, Word, Word, Word)] = [
            (0, 0, 0, 0), (1, 1, 1, 1), (MessageInfo.labelMask, 7, 3, 127), (0x1234_5678, 5, 2, 120),
            (Word.max, Word.max, Word.max, Word.max),
        ]
        for (label, unwrapped, extra, length) in samples {
            let swift = MessageInfo(label: label, capsUnwrapped: unwrapped, extraCaps: extra, length: length)
            let c = seL4_MessageInfo_new(UInt(label), UInt(unwrapped), UInt(extra), UInt(length))
            #expect(swift.rawValue == Word(c.words), "seL4_MessageInfo_new(\(label), \(unwrapped), \(extra), \(length))")
            #expect(swift.label == Word(seL4_MessageInfo_get_label(c)))
            #expect(swift.capsUnwrapped == Word(seL4_MessageInfo_get_capsUnwrapped(c)))
            #expect(swift.extraCaps == Word(seL4_MessageInfo_get_extraCaps(c)))
            #expect(swift.length == Word(seL4_MessageInfo_get_length(c)))
        }
        for bits in 0..<16 {
            let (grantReply, grant, read, write) = (bits & 8 != 0, bits & 4 != 0, bits & 2 != 0, bits & 1 != 0)
            let swift = CapRights(grantReply: grantReply, grant: grant, read: read, write: write)
            let c = seL4_CapRights_new(grantReply ? 1 : 0, grant ? 1 : 0, read ? 1 : 0, write ? 1 : 0)
            #expect(swift.rawValue == Word(c.words), "seL4_CapRights_new for bits \(bits)")
        }
        #expect(CapRights.all.rawValue == Word(seL4_CapRights_new(1, 1, 1, 1).words))
        #expect(CapRights.readWrite.rawValue == Word(seL4_CapRights_new(0, 0, 1, 1).words))
        #expect(CapRights.none.rawValue == Word(seL4_CapRights_new(0, 0, 0, 0).words))
        for (guardValue, size) in [(Word(0), Word(0)), (1, 1), ((1 << 58) - 1, 63), (0xABCDE, 20), (Word.max, Word.max)] {
            let swift = CNodeCapData(guard: guardValue, guardSize: size)
            let c = seL4_CNode_CapData_new(UInt(guardValue), UInt(size))
            #expect(swift.rawValue == Word(c.words), "seL4_CNode_CapData_new(\(guardValue), \(size))")
            #expect(swift.guardValue == Word(seL4_CNode_CapData_get_guard(c)))
            #expect(Word(swift.guardSize) == Word(seL4_CNode_CapData_get_guardSize(c)))
        }
    }

    /// The display names: one table, with seL4's spelling.
    @Test func namesAreSeL4s() {
        #expect(Syscall.replyRecv.cName == "seL4_SysReplyRecv")
        #expect("\(Syscall.nbRecv.name)" == "NBRecv")
        #expect(ErrorCode.invalidCapability.cName == "seL4_InvalidCapability")
        #expect("\(ErrorCode.invalidCapability.name)" == "InvalidCapability")
        #expect(FaultType.vmFault.cName == "seL4_Fault_VMFault")
        #expect(LookupFailureType.guardMismatch.cName == "seL4_GuardMismatch")
    }

    /// `Syscall(number:)` (the kernel's dispatch) agrees with the raw values for every case and
    /// refuses every number that is none.
    @Test func syscallNumbersDecodeToTheirCases() {
        #expect(Syscall.allCases.count == Syscall.count)
        for call in Syscall.allCases { #expect(Syscall(number: call.rawValue) == call) }
        for number in [0, 1, -15, -16, Int.min, Int.max, -Syscall.count - 1] {
            #expect(Syscall(number: number) == nil && Syscall(rawValue: number) == nil)
        }
    }
}
