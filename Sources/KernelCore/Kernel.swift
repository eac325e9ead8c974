import SeL4ABI

/// What the platform provides to the kernel core: console output and an observer of kernel
/// events (tracing). Hosted, RISC-V and the deterministic test platform implement it.
public protocol KernelObserver: AnyObject {
    /// `seL4_DebugPutChar`.
    func debugPutChar(_ character: UInt8)
    /// A kernel event, recorded only when the platform asks for them (`Kernel.tracing`).
    func kernelEvent(_ event: KernelEvent)
    /// A thread stopped on a fault that no handler receives (FAULT-2), traced or not.
    func faultNotHandled(thread: Thread, fault: Fault)
    /// Some VSpace's translations changed (a frame or paging structure mapped or unmapped, an
    /// ASID or a thread's VSpace gone): a platform that mirrors them looks again
    /// (`Kernel.forEachUserMapping`).
    func translationsChanged()
}

extension KernelObserver {
    public func faultNotHandled(thread: Thread, fault: Fault) {}
    public func translationsChanged() {}
}

/// The kernel's scalar state that lives in its table memory rather than in stored properties,
/// so that platforms reading it on every syscall (from another module, where exclusivity
/// checks cannot be turned off) pay a plain load. All zero at boot.
@usableFromInline
struct KernelState {
    /// `ksCurThread`: the running thread's TCB address; 0 is the idle thread.
    @usableFromInline var currentThread: Word
    /// `ksDebugTCBs`: every TCB that exists, in creation order, linked through the TCBs'
    /// `threadListPrev`/`threadListNext` (no capacity limit: the links live in the TCBs).
    var threadListHead: Word
    var threadListTail: Word
    /// `ksDomSchedule`, `ksDomScheduleStart`, `ksDomScheduleIdx` and `ksDomainTime` (DOMAIN-2):
    /// the domain schedule's entries, packed as seL4 packs them (domain in the top 8 bits,
    /// duration in the low 56); entry 1 is the end marker that can never be overwritten.
    var domainSchedule: (Word, Word)
    var domainScheduleStart: Word
    var domainScheduleIndex: Word
    var domainTime: Word
    /// `ksCurFPUOwner` and `isFPUEnabled` (FPU-1).
    var fpuOwner: Word
    var fpuEnabled: Bool
}

/// The scheduler's pending decision (`ksSchedulerAction`, SCHED-3).
enum SchedulerAction: Equatable {
    case resumeCurrent
    case chooseNew
    case switchTo(Thread)
}

/// How many IPCs each path handled (FAST-1..5), readable by tests, the CLI and benchmarks.
public struct PathCounters: Sendable, Equatable {
    public var fastpathCalls = 0
    public var fastpathReplyRecvs = 0
    public var slowpathCalls = 0
    public var slowpathReplyRecvs = 0
    public init() {}
}

/// The kernel: all of its state, and `handleSyscall`, which the platform calls for the current
/// thread and which returns the thread to run next.
///
/// Kernel objects live in untyped memory (the platform hands the kernel one region at boot);
/// the kernel's own tables (ready queues) are carved from the start of that region, so nothing
/// on any syscall path allocates.
///
/// The kernel runs to completion on each entry and is never re-entered, so no access to its
/// state is ever open across a user-thread switch; the hot fields skip dynamic exclusivity
/// checks for speed.
public final class Kernel {
    /// The running thread (`ksCurThread`); `nil` is the idle thread.
    public internal(set) var currentThread: Thread? {
        @inlinable @inline(__always) get { Thread(address: state.pointee.currentThread) }
        @inline(__always) set { state.pointee.currentThread = newValue?.address ?? 0 }
    }
    /// The kernel's named scalar state, in its table memory (see `KernelState`).
    @usableFromInline let state: UnsafeMutablePointer<KernelState>
    @exclusivity(unchecked) var schedulerAction: SchedulerAction = .resumeCurrent
    /// Ready queues: one per priority, head and tail addresses (SCHED-2), and a two-level
    /// bitmap of the non-empty ones for an O(1) highest-priority lookup.
    let readyHeads: UnsafeMutablePointer<Word>
    let readyTails: UnsafeMutablePointer<Word>
    @exclusivity(unchecked) var readyBitmapTop: Word = 0
    @usableFromInline let readyBitmap: UnsafeMutablePointer<Word>
    /// `riscvKSASIDTable`: the ASID pool for each value of an ASID's high bits (0: none).
    let asidTable: UnsafeMutablePointer<Word>
    /// Bumped whenever a translation the hardware may have cached is removed or changed
    /// (unmap, remap, ASID deleted) and whenever a thread's VSpace may have changed (a VSpace
    /// cap installed in or removed from any slot): the platform flushes its TLB, and forgets
    /// what it cached of `vspace(of:)`, when it sees a new value.
    @exclusivity(unchecked) public internal(set) var translationGeneration: Word = 0

    /// The platform's floating-point unit (FPU-1); nil where threads share the host's.
    @exclusivity(unchecked) public var fpu: FloatingPointUnit?
    /// The platform's console and trace sink.
    @exclusivity(unchecked) public var observer: KernelObserver?
    /// Whether events are built and passed to the observer. Off, the IPC path pays one test.
    @exclusivity(unchecked) public var tracing = false {
        didSet { fastpathGate = fastpathEnabled && !tracing }
    }
    /// The fastpath for Call and ReplyRecv (FAST-1); off, every IPC takes the slowpath.
    @exclusivity(unchecked) public var fastpathEnabled = true {
        didSet { fastpathGate = fastpathEnabled && !tracing }
    }
    /// `fastpathEnabled && !tracing`, kept as one byte for the system-call entry to test.
    @usableFromInline @exclusivity(unchecked) var fastpathGate = true
    @exclusivity(unchecked) public var pathCounters = PathCounters()
    /// Facts about the boot, for `seL4_GetBootInfo`.
    public internal(set) var bootInfo = BootInfoFacts()
    public let configuration: KernelConfiguration
    /// The debug object registry: `KernelConfiguration.objectRegistryCapacity` entries at
    /// first, doubled when full so that every object stays known (`checkObjects` relies on it).
    var registry: UnsafeMutablePointer<RegisteredObject>?
    var registryCapacity: Int
    var registryCount = 0
    /// Whether the registry is in address order (`checkObjects` sorts it, retypes append).
    var registryIsSorted = true

    init(configuration: KernelConfiguration, tables: UnsafeMutableRawPointer) {
        self.configuration = configuration
        let words = tables.assumingMemoryBound(to: Word.self)
        readyHeads = words
        readyTails = words + Constants.numPriorities
        readyBitmap = words + 2 * Constants.numPriorities
        let stateWords = MemoryLayout<KernelState>.stride / 8
        state = UnsafeMutableRawPointer(words + 2 * Constants.numPriorities + 4).bindMemory(to: KernelState.self, capacity: 1)
        asidTable = words + 2 * Constants.numPriorities + 4 + stateWords
        for i in 0..<(Kernel.tableBytes / 8) { words[i] = 0 }
        // seL4's boot: the first entry runs domain 0 for the longest duration.
        state.pointee.domainSchedule.0 = DomainSchedule.entry(domain: 0, duration: DomainSchedule.maxDuration)
        state.pointee.domainTime = DomainSchedule.maxDuration
        registryCapacity = configuration.objectRegistryCapacity
        registry = registryCapacity > 0 ? UnsafeMutablePointer<RegisteredObject>.allocate(capacity: registryCapacity) : nil
    }

    deinit { registry?.deallocate() }

    /// Bytes of boot memory the kernel's own tables take: ready-queue heads and tails, the
    /// four bitmap words, `KernelState` and the ASID table.
    static let tableBytes = (2 * Constants.numPriorities + 4 + ASID.poolCount) * 8 + MemoryLayout<KernelState>.stride

    @inline(__always)
    func observe(_ event: @autoclosure () -> KernelEvent) {
        if tracing, let observer { observer.kernelEvent(event()) }
    }
}
