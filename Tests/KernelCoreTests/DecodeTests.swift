#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import KernelCore
import KernelTestSupport

// Decoders called directly (SYS-3): each family's bad inputs get seL4's error, and decoding
// — refused or not — changes no byte of the kernel's memory (objects, slots, CDT links, ready
// and endpoint queues, the kernel's tables) and none of its scalar state. Performing is a
// separate step (`Kernel.perform`), so a decoder that mutated anything would show here.

/// The kernel's state outside the memory it was booted over.
private struct KernelScalars: Equatable {
    var schedulerAction: SchedulerAction
    var translationGeneration: Word
    var pathCounters: PathCounters
    var registryCount: Int
    var readyBitmapTop: Word
    init(_ kernel: Kernel) {
        schedulerAction = kernel.schedulerAction
        translationGeneration = kernel.translationGeneration
        pathCounters = kernel.pathCounters
        registryCount = kernel.registryCount
        readyBitmapTop = kernel.readyBitmapTop
    }
}

/// A system with one object of each family for the rows to invoke, the root task invoking.
private struct Fixture {
    let sys = TestSystem(memoryBytes: 4 << 20, paging: .sv39)
    let endpoint: Word, readOnlyEndpoint: Word, readOnlyNotification: Word
    let tcb: Word, thread: Thread
    let frame: Word, table: Word, smallUntyped: Word
    let empty: Word

    init() {
        endpoint = sys.make(ObjectType.endpoint)
        readOnlyEndpoint = sys.mint(endpoint, rights: [.read], badge: 0).slot
        let notification = sys.make(ObjectType.notification)
        readOnlyNotification = sys.mint(notification, rights: [.read], badge: 0).slot
        (tcb, thread) = sys.spawn(priority: 100)
        frame = sys.make(ObjectType.smallPage)
        table = sys.make(Fixture.pageTableType)
        smallUntyped = sys.make(ObjectType.untyped, size: 13)
        empty = sys.allocateSlot()
    }

    /// The host's object type number for a page table (what `seL4_RISCV_PageTableObject` is
    /// on riscv64).
    static let pageTableType: Word = (0..<ObjectType.count).first { ObjectType.kind(of: $0) == .pageTable(level: 0) }!

    func slot(_ index: Word) -> Slot { Slot.at(base: sys.capability(at: rootCNodeSlot).address, index: Int(index)) }

    /// Loads the root task's registers for a Call of `cptr` and decodes it, checking that
    /// nothing changed. Returns the decode's result.
    func decode(_ cptr: Word, _ label: Word, _ args: [Word], caps: [Word] = [], by caller: Thread? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) -> Result<Operation, InvocationFailure> {
        let invoker = caller ?? sys.root
        sys.loadSyscallRegisters(by: invoker, cap: cptr,
                                 info: MessageInfo(label: label, extraCaps: Word(caps.count), length: Word(args.count)),
                                 mrs: args, extraCaps: caps)
        let memoryBefore = sys.memorySnapshot(), scalarsBefore = KernelScalars(sys.kernel)
        let result = sys.kernel.decodeInvocation(of: invoker, isCall: true, isBlocking: true)
        let memoryAfter = sys.memorySnapshot()
        let changed = firstDifference(memoryBefore, memoryAfter)
        #expect(changed == nil, "decoding changed kernel memory at offset \(changed ?? 0)", sourceLocation: sourceLocation)
        #expect(KernelScalars(sys.kernel) == scalarsBefore, "decoding changed the kernel's scalar state",
                sourceLocation: sourceLocation)
        return result
    }

    /// A row of bad input: the decoder refuses it with `expected`, and changes nothing.
    func expectRefused(_ expected: SyscallError, _ cptr: Word, _ label: Word, _ args: [Word], caps: [Word] = [],
                       by caller: Thread? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = decode(cptr, label, args, caps: caps, by: caller, sourceLocation: sourceLocation)
        guard case .failure(.syscallError(let error)) = result else {
            Issue.record("expected \(expected), decoded \(result)", sourceLocation: sourceLocation)
            return
        }
        #expect(error == expected, sourceLocation: sourceLocation)
    }
}

/// The first offset at which two equally long snapshots differ (memcmp first: debug builds
/// compare arrays element by element).
private func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
    let same = a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
    return same ? nil : zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset
}

private func label(_ l: InvocationLabel) -> Word { l.rawValue }
private let sv39 = RISCVInvocationLabel.self
private let domainSlot = Word(InitialSlot.domain)

@Suite struct DecodeTests {
    /// CNODE-1..10 (decode-facts section 2): label, length, destination, source, in order.
    @Test func cnode_badInputsChangeNothing() {
        let f = Fixture()
        let c = rootCNodeSlot
        f.expectRefused(.illegalOperation, c, label(.tcbSetFlags), [f.empty, 64])
        f.expectRefused(.truncatedMessage, c, label(.cnodeCopy), [f.empty])
        f.expectRefused(.rangeError(min: 1, max: 64), c, label(.cnodeDelete), [f.empty, 65])
        f.expectRefused(.truncatedMessage, c, label(.cnodeCopy), [f.empty, 64, f.endpoint, 64])
        f.expectRefused(.deleteFirst, c, label(.cnodeCopy), [rootThreadSlot, 64, f.endpoint, 64, CapRights.all.rawValue], caps: [c])
        f.expectRefused(.failedLookup(isSource: true, .missingCapability(bitsLeft: 64)), c, label(.cnodeCopy),
                        [f.empty, 64, f.empty, 64, CapRights.all.rawValue], caps: [c])
        f.expectRefused(.truncatedMessage, c, label(.cnodeMint), [f.empty, 64, f.endpoint, 64, CapRights.all.rawValue], caps: [c])
        f.expectRefused(.deleteFirst, c, label(.cnodeSaveCaller), [rootThreadSlot, 64])
        f.expectRefused(.illegalOperation, c, label(.cnodeCancelBadgedSends), [f.tcb, 64])
        f.expectRefused(.illegalOperation, c, label(.cnodeRotate), [f.empty, 64, 0, f.endpoint, 64, 0, f.endpoint, 64], caps: [c, c])
        #expect(f.sys.invariantFailures.isEmpty, "\(f.sys.invariantFailures)")
    }

    /// A good CNode_Copy decodes to `invokeCNodeInsert`'s arguments, still changing nothing.
    @Test func cnode_copyDecodesToInsert() {
        let f = Fixture()
        let result = f.decode(rootCNodeSlot, label(.cnodeCopy), [f.empty, 64, f.endpoint, 64, CapRights([.read]).rawValue],
                              caps: [rootCNodeSlot])
        guard case .success(.cnode(.insert(let cap, let source, let destination))) = result else {
            Issue.record("decoded \(result)")
            return
        }
        #expect(source == f.slot(f.endpoint) && destination == f.slot(f.empty))
        #expect(cap.type == .endpoint && cap.rights == [.read])
    }

    /// Retype (UNTYPED-*, decode-facts section 1): label, length, type, size, destination,
    /// window, occupancy, memory, in order.
    @Test func untyped_badInputsChangeNothing() {
        let f = Fixture()
        let u = f.sys.untyped, c = rootCNodeSlot
        let retype = label(.untypedRetype)
        f.expectRefused(.illegalOperation, u, 0, [ObjectType.endpoint, 0, 0, 0, f.empty, 1], caps: [c])
        f.expectRefused(.truncatedMessage, u, retype, [ObjectType.endpoint, 0, 0, 0, f.empty], caps: [c])
        f.expectRefused(.truncatedMessage, u, retype, [ObjectType.endpoint, 0, 0, 0, f.empty, 1])
        f.expectRefused(.invalidArgument(index: 0), u, retype, [99, 0, 0, 0, f.empty, 1], caps: [c])
        f.expectRefused(.invalidArgument(index: 1), u, retype, [ObjectType.cnode, 0, 0, 0, f.empty, 1], caps: [c])
        f.expectRefused(.rangeError(min: 1, max: Word(Constants.retypeFanOutLimit)), u, retype,
                        [ObjectType.endpoint, 0, 0, 0, f.empty, 0], caps: [c])
        f.expectRefused(.deleteFirst, u, retype, [ObjectType.endpoint, 0, 0, 0, rootThreadSlot, 1], caps: [c])
        let small = f.sys.capability(at: f.smallUntyped)
        f.expectRefused(.notEnoughMemory(bytesAvailable: 1 << Word(small.untypedSizeBits)), f.smallUntyped, retype,
                        [ObjectType.cnode, 10, 0, 0, f.empty, 1], caps: [c])
        #expect(f.sys.invariantFailures.isEmpty, "\(f.sys.invariantFailures)")
    }

    @Test func untyped_retypeDecodesToItsWindow() {
        let f = Fixture()
        let result = f.decode(f.sys.untyped, label(.untypedRetype), [ObjectType.notification, 0, 0, 0, f.empty, 2],
                              caps: [rootCNodeSlot])
        guard case .success(.untyped(.retype(let untyped, _, _, let kind, _, _, _, let offset, let count))) = result else {
            Issue.record("decoded \(result)")
            return
        }
        #expect(untyped == f.slot(f.sys.untyped) && kind == .notification && offset == f.empty && count == 2)
    }

    /// TCB invocations (decode-facts section 3, SCHED-1, BIND-1, IPCBUF-3).
    @Test func thread_badInputsChangeNothing() {
        let f = Fixture()
        let t = f.tcb
        f.expectRefused(.illegalOperation, t, label(.cnodeCopy), [0, 0])
        f.expectRefused(.rangeError(min: 1, max: Word(RegisterFile.userContextWords)), t, label(.tcbReadRegisters), [0, 0])
        f.expectRefused(.illegalOperation, rootThreadSlot, label(.tcbReadRegisters), [0, 1])
        f.expectRefused(.truncatedMessage, t, label(.tcbWriteRegisters), [0, 3, 1, 2])
        f.expectRefused(.invalidCapability(index: 1), t, label(.tcbCopyRegisters), [0], caps: [f.endpoint])
        f.expectRefused(.truncatedMessage, t, label(.tcbConfigure), [0, 0, 0], caps: [rootCNodeSlot, Word(InitialSlot.vspace), f.frame])
        f.expectRefused(.rangeError(min: 0, max: 0), t, label(.tcbSetPriority), [1], caps: [t])
        f.expectRefused(.illegalOperation, t, label(.tcbBindNotification), [], caps: [f.endpoint])
        f.expectRefused(.illegalOperation, t, label(.tcbBindNotification), [], caps: [f.readOnlyEndpoint])
        f.expectRefused(.illegalOperation, t, label(.tcbUnbindNotification), [])
        f.expectRefused(.truncatedMessage, t, label(.tcbSetTLSBase), [])
        f.expectRefused(.truncatedMessage, t, label(.tcbSetFlags), [0])
        #expect(f.sys.invariantFailures.isEmpty, "\(f.sys.invariantFailures)")
    }

    /// `decodeSetFlags`: the words to clear and to set, carried to `invokeSetFlags`.
    @Test func thread_setFlagsDecodesClearThenSet() {
        let f = Fixture()
        let result = f.decode(f.tcb, label(.tcbSetFlags), [2, 1])
        guard case .success(.thread(.setFlags(let target, let clear, let set))) = result else {
            Issue.record("decoded \(result)")
            return
        }
        #expect(target == f.thread && clear == 2 && set == 1)
    }

    /// `decodeDomainInvocation`: label, length, domain, extra cap, its type.
    @Test func domain_badInputsChangeNothing() {
        let f = Fixture()
        f.expectRefused(.illegalOperation, domainSlot, label(.irqClearIRQHandler), [0], caps: [f.tcb])
        f.expectRefused(.truncatedMessage, domainSlot, label(.domainSetSet), [], caps: [f.tcb])
        f.expectRefused(.invalidArgument(index: 0), domainSlot, label(.domainSetSet), [1], caps: [f.tcb])
        f.expectRefused(.truncatedMessage, domainSlot, label(.domainSetSet), [0])
        f.expectRefused(.invalidArgument(index: 1), domainSlot, label(.domainSetSet), [0], caps: [f.endpoint])
        guard case .success(.domain(.setDomain(let target, 0))) = f.decode(domainSlot, label(.domainSetSet), [0], caps: [f.tcb])
        else {
            Issue.record("DomainSet_Set(0, tcb) did not decode")
            return
        }
        #expect(target == f.thread)
    }

    /// DOMAIN-2 with one domain (two schedule entries, the second the end marker): Configure's
    /// length, index, domain, duration bits, end-marker domain and starting entry; SetStart's
    /// length, index and end marker, in seL4 16.x's order.
    @Test func domainSchedule_badInputsChangeNothing() {
        let f = Fixture()
        let configure = label(.domainScheduleConfigure), setStart = label(.domainScheduleSetStart)
        let maxDuration = Word.max >> 8
        f.expectRefused(.truncatedMessage, domainSlot, configure, [0, 0])
        f.expectRefused(.rangeError(min: 0, max: 0), domainSlot, configure, [1, 0, 5])
        // The index is checked before the domain.
        f.expectRefused(.rangeError(min: 0, max: 0), domainSlot, configure, [1, 7, 5])
        f.expectRefused(.rangeError(min: 0, max: 0), domainSlot, configure, [0, 1, 5])
        f.expectRefused(.rangeError(min: 0, max: 0), domainSlot, configure, [0, 0x100, 5])
        f.expectRefused(.invalidArgument(index: 2), domainSlot, configure, [0, 0, maxDuration + 1])
        // Entry 0 is where the schedule starts: it may not become an end marker.
        f.expectRefused(.invalidArgument(index: 2), domainSlot, configure, [0, 0, 0])
        f.expectRefused(.truncatedMessage, domainSlot, setStart, [])
        f.expectRefused(.rangeError(min: 0, max: 1), domainSlot, setStart, [2])
        f.expectRefused(.invalidArgument(index: 0), domainSlot, setStart, [1])
        guard case .success(.domain(.configureSchedule(0, 0, maxDuration))) = f.decode(domainSlot, configure, [0, 0, maxDuration]),
              case .success(.domain(.setScheduleStart(0))) = f.decode(domainSlot, setStart, [0])
        else {
            Issue.record("ScheduleConfigure(0, 0, max) or ScheduleSetStart(0) did not decode")
            return
        }
    }

    /// SYS-3: endpoint and notification caps without Write, the master reply cap's absence.
    @Test func objectCaps_withoutWriteAreInvalidCapability() {
        let f = Fixture()
        f.expectRefused(.invalidCapability(index: 0), f.readOnlyEndpoint, 0, [])
        f.expectRefused(.invalidCapability(index: 0), f.readOnlyNotification, 0, [])
        f.expectRefused(.invalidCapability(index: 0), f.empty, 0, [])
        f.expectRefused(.illegalOperation, Word(InitialSlot.irqControl), 0, [])
    }

    /// Sv39 frames and page tables (riscv-vspace-facts 3.1, 3.2).
    @Test func paging_badInputsChangeNothing() {
        let f = Fixture()
        let vspace = Word(InitialSlot.vspace)
        f.expectRefused(.illegalOperation, f.frame, 99, [])
        f.expectRefused(.truncatedMessage, f.frame, sv39.pageMap, [0x40_0000, CapRights.all.rawValue], caps: [vspace])
        f.expectRefused(.invalidCapability(index: 1), f.frame, sv39.pageMap, [0x40_0000, CapRights.all.rawValue, 0], caps: [f.frame])
        f.expectRefused(.invalidArgument(index: 0), f.frame, sv39.pageMap, [0x40_0000_0000, CapRights.all.rawValue, 0], caps: [vspace])
        f.expectRefused(.alignmentError, f.frame, sv39.pageMap, [0x40_0001, CapRights.all.rawValue, 0], caps: [vspace])
        f.expectRefused(.failedLookup(isSource: false, .missingCapability(bitsLeft: 30)), f.frame, sv39.pageMap,
                        [0x40_0000, CapRights.all.rawValue, 0], caps: [vspace])
        f.expectRefused(.truncatedMessage, f.table, sv39.pageTableMap, [0x40_0000], caps: [vspace])
        f.expectRefused(.invalidCapability(index: 1), f.table, sv39.pageTableMap, [0x40_0000, 0], caps: [f.frame])
        f.expectRefused(.revokeFirst, vspace, sv39.pageTableUnmap, [])
        f.expectRefused(.truncatedMessage, Word(InitialSlot.asidPool), sv39.asidPoolAssign, [])
        f.expectRefused(.invalidCapability(index: 1), Word(InitialSlot.asidPool), sv39.asidPoolAssign, [], caps: [vspace])
        f.expectRefused(.truncatedMessage, Word(InitialSlot.asidControl), sv39.asidControlMakePool, [f.empty],
                        caps: [f.smallUntyped, rootCNodeSlot])
        f.expectRefused(.invalidCapability(index: 1), Word(InitialSlot.asidControl), sv39.asidControlMakePool, [f.empty, 64],
                        caps: [f.smallUntyped, rootCNodeSlot])
        #expect(f.sys.invariantFailures.isEmpty, "\(f.sys.invariantFailures)")
    }
}
