import Foundation
import KernelCore

/// Records the kernel's events during a hosted run (issue: see the IPC), with timestamps and
/// the message words of each delivery, and writes them as a Chrome trace (Perfetto), a
/// Mermaid sequence diagram, or a self-contained HTML timeline.
public final class TraceRecorder {
    /// One recorded event. Threads are named by TCB address; names are resolved when written.
    public struct Event: Sendable {
        public enum Kind: Sendable {
            case syscall(thread: Word, number: Int, cptr: Word, label: Word, length: Word, extraCaps: Word)
            /// `result`: the msgInfo the thread returns with, if it did not block (an invocation's
            /// reply: label 0 or the seL4_Error; a receive's message tag).
            case syscallExit(thread: Word, result: MessageInfo?)
            case path(thread: Word, number: Int, fast: Bool, failedCondition: Int)
            case blocked(thread: Word, object: Word, state: ThreadState)
            case woken(thread: Word, object: Word, reason: WakeReason, by: Word?, badge: Word)
            case delivered(sender: Word, receiver: Word, badge: Word, label: Word, length: Word,
                           extraCaps: Word, capsUnwrapped: Word, isReply: Bool, isFault: Bool, words: [Word])
            case replyCapCreated(caller: Word, holder: Word)
            case replyCapDeleted(holder: Word)
            case faulted(thread: Word, description: String, handled: Bool)
            case switched(from: Word?, to: Word?)
            case started(thread: Word, entry: Word)
            case stopped(thread: Word)
            case end(String)
        }
        public var time: UInt64
        public var kind: Kind
    }

    public private(set) var events: [Event] = []
    /// Logical time (one microsecond per event) makes output deterministic for tests.
    public let logicalClock: Bool
    private let start: UInt64
    private var currentSyscallThread: Word?
    private var names: [Word: String] = [:]
    /// Kernel objects by the names the system file gives them (set by the system loader).
    public var objectNames: [Word: String] = [:]

    public init(logicalClock: Bool = false) {
        self.logicalClock = logicalClock
        start = Self.now()
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    private func time() -> UInt64 {
        logicalClock ? UInt64(events.count) * 1000 : Self.now() - start
    }

    private func append(_ kind: Event.Kind) { events.append(Event(time: time(), kind: kind)) }

    /// A thread's identity in the trace; its name is read when the trace is written (the
    /// name at the end of the run, after any DebugNameThread).
    @inline(__always)
    private func note(_ thread: KernelCore.Thread) -> Word { thread.address }

    public func name(of address: Word) -> String {
        if let name = names[address] { return name }
        guard let base = UnsafeMutableRawPointer(bitPattern: UInt(address)) else { return "idle" }
        let name = threadName(KernelCore.Thread(base: base))
        names[address] = name
        return name
    }

    /// Records `event`; called by the kernel (through the platform) while tracing is on.
    public func record(_ event: KernelEvent) {
        switch event {
        case .syscallEntry(let thread, let syscall, let cptr, let info):
            currentSyscallThread = note(thread)
            append(.syscall(thread: thread.address, number: syscall, cptr: cptr, label: info.label,
                            length: info.length, extraCaps: info.extraCaps))
        case .syscallExit(let thread, _):
            let result = thread.state.isRunnable ? MessageInfo(rawValue: thread[register: RegisterFile.msgInfoRegister]) : nil
            append(.syscallExit(thread: note(thread), result: result))
            currentSyscallThread = nil
        case .path(let thread, let syscall, let fast, let failed):
            append(.path(thread: note(thread), number: syscall, fast: fast, failedCondition: failed))
        case .blocked(let thread, let object, let state):
            append(.blocked(thread: note(thread), object: object, state: state))
        case .woken(let thread, let object, let reason):
            append(.woken(thread: note(thread), object: object, reason: reason, by: currentSyscallThread,
                          badge: thread[register: RegisterFile.badgeRegister]))
        case .delivered(let sender, let receiver, let badge, let info, let isReply):
            // The receiver's registers and buffer already hold the message.
            var words: [Word] = []
            let count = min(Int(info.length), 16)
            let buffer = UnsafeMutablePointer<Word>(bitPattern: UInt(receiver.ipcBufferAddress))
            for i in 0..<count {
                words.append(i < 4 ? receiver.messageRegister(i) : (buffer?[i + 1] ?? 0))
            }
            let isFault: Bool
            if case .none = sender.fault { isFault = false } else { isFault = !isReply }
            append(.delivered(sender: note(sender), receiver: note(receiver), badge: badge, label: info.label,
                              length: info.length, extraCaps: info.extraCaps, capsUnwrapped: info.capsUnwrapped,
                              isReply: isReply, isFault: isFault, words: words))
        case .replyCapCreated(let caller, let holder):
            append(.replyCapCreated(caller: note(caller), holder: note(holder)))
        case .replyCapDeleted(let holder):
            append(.replyCapDeleted(holder: note(holder)))
        case .faulted(let thread, let fault, let handled):
            append(.faulted(thread: note(thread), description: "\(fault)", handled: handled))
        case .switched(let from, let to):
            append(.switched(from: from.map(note), to: to.map(note)))
        case .threadStopped(let thread):
            append(.stopped(thread: note(thread)))
        }
    }

    /// A thread starts running code at `entry` (its first run, or after WriteRegisters).
    public func threadStarted(_ thread: KernelCore.Thread, entry: Word) {
        append(.started(thread: note(thread), entry: entry))
    }

    /// Marks how the run ended (main returned, deadlock, crash).
    public func end(_ how: String) { append(.end(how)) }

    /// Threads in order of first appearance.
    public var threads: [Word] {
        var seen: [Word] = []
        func add(_ t: Word?) { if let t, !seen.contains(t) { seen.append(t) } }
        for event in events {
            switch event.kind {
            case .syscall(let t, _, _, _, _, _), .syscallExit(let t, _), .path(let t, _, _, _), .blocked(let t, _, _),
                 .woken(let t, _, _, _, _), .faulted(let t, _, _), .stopped(let t), .replyCapDeleted(let t),
                 .started(let t, _):
                add(t)
            case .delivered(let s, let r, _, _, _, _, _, _, _, _):
                add(s); add(r)
            case .replyCapCreated(let c, let h):
                add(c); add(h)
            case .switched(let f, let t):
                add(f); add(t)
            case .end:
                break
            }
        }
        return seen
    }
}

/// Names of system calls for traces: seL4's (`Syscall.name`), or the number of one the kernel
/// does not know.
func syscallName(_ number: Int) -> String {
    guard let syscall = Syscall(rawValue: number) else { return "syscall \(number)" }
    return "\(syscall.name)"
}
