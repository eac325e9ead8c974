import SeL4ABI

/// Invoking kernel objects from platform code, through the same path a user thread's
/// `seL4_Call` takes. Loaders (like seL4's capDL loader, which is a root task) and test
/// platforms use it while the thread they act as is the current thread.
public struct InvocationReply: Equatable, Sendable {
    /// The reply's label: `seL4_NoError` (0) or an `seL4_Error`.
    public var label: Word
    /// The reply's message words (error details or results).
    public var words: [Word]

    public var error: ErrorCode? { label == 0 ? nil : ErrorCode(rawValue: label) }

    public init(label: Word, words: [Word]) {
        self.label = label
        self.words = words
    }
}

extension Kernel {
    /// Makes `thread` (which must be the current thread) call `cptr` with `label`, message
    /// words `arguments` (beyond four in its IPC buffer) and extra caps `extraCaps`, and
    /// returns the kernel's reply. `syscallAddress` is the address the platform uses for the
    /// syscall instruction (the thread's restart point).
    public func invoke(as thread: Thread, _ cptr: Word, label: Word, arguments: [Word], extraCaps: [Word] = [],
                       syscallAddress: Word = 0) -> InvocationReply {
        let buffer = ipcBuffer(of: thread, forReceiving: false)
        thread[register: RegisterFile.capRegister] = cptr
        thread[register: RegisterFile.msgInfoRegister] = MessageInfo(label: label, extraCaps: Word(extraCaps.count),
                                                                     length: Word(arguments.count)).rawValue
        for (i, word) in arguments.enumerated() {
            if i < Constants.fastMessageRegisters { thread.setMessageRegister(i, word) } else { buffer?[i + 1] = word }
        }
        for (i, cap) in extraCaps.enumerated() { buffer?[Constants.ipcBufferCapsOrBadges + i] = cap }
        thread[register: RegisterFile.faultIP] = syscallAddress
        thread[register: RegisterFile.pc] = syscallAddress + RegisterFile.syscallInstructionBytes
        _ = handleSyscall(Syscall.call.rawValue)
        let info = MessageInfo(rawValue: thread[register: RegisterFile.msgInfoRegister])
        let receiveBuffer = ipcBuffer(of: thread, forReceiving: true)
        var words: [Word] = []
        for i in 0..<Int(info.length) { words.append(messageRegister(thread, receiveBuffer, i)) }
        return InvocationReply(label: info.label, words: words)
    }
}
