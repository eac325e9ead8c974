/// Frame invocations. Hosted frames are identity-mapped (the hosted contract): a frame's
/// address is its physical address and the virtual address user code uses.
extension Kernel {
    #if arch(x86_64)
    /// `X86PageGetAddress` in libsel4's x86_64 invocation numbering.
    public static let pageGetAddressLabel: Word = 39
    #elseif arch(arm64)
    /// `ARMPageGetAddress` in libsel4's aarch64 invocation numbering.
    public static let pageGetAddressLabel: Word = 44
    #else
    /// `RISCVPageGetAddress` in libsel4's riscv64 invocation numbering.
    public static let pageGetAddressLabel: Word = 35
    #endif

    func decodeFrameInvocation(_ invocation: Invocation, cap: Capability) throws(SyscallError) {
        guard invocation.label == Kernel.pageGetAddressLabel else { throw .illegalOperation }
        let thread = invocation.thread
        thread.state = .restart
        if invocation.isCall {
            var words = MessageWords()
            words.append(cap.address)
            replySuccess(thread, words)
            thread.state = .running
        }
    }
}
