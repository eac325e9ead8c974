import SeL4ABI

/// Frame invocations. A frame cap is one mapping: Map records where its frame is mapped in
/// the cap itself (copies start unmapped), Unmap and the cap's deletion remove that mapping.
/// Hosted frames are identity-mapped (the hosted contract): a frame's address is its
/// physical address and the virtual address user code uses, and only GetAddress is offered.
/// A decoded frame invocation.
enum FrameOperation {
    /// `performPageInvocationMapPTE`: the frame's slot takes `cap` (now recording the
    /// mapping) and `entry` the leaf `pte`.
    case map(Slot, Capability, entry: UnsafeMutablePointer<Word>, pte: Word)
    /// `performPageInvocationUnmap`.
    case unmap(Slot)
    /// `performPageGetAddress`: the reply carries the frame's physical address.
    case getAddress(Word)
}

extension Kernel {
    /// `X86PageGetAddress`, `ARMPageGetAddress` or `RISCVPageGetAddress`: the architecture's
    /// label (SeL4ABI's `InvocationLabel.pageGetAddress`).
    @inlinable public static var pageGetAddressLabel: Word { InvocationLabel.pageGetAddress }

    /// `seL4_RISCV_Page_Map(frame, vspace, vaddr, rights, attr)`, `_Unmap(frame)` and
    /// `_GetAddress(frame)` (seL4 `decodeRISCVFrameInvocation`, checks in its order).
    func decodeFrameInvocation(_ invocation: Invocation, slot: Slot, cap: Capability) throws(SyscallError) -> FrameOperation {
        switch pagingOperation(invocation.label) {
        case .pageGetAddress:
            return .getAddress(physicalAddress(cap.address))
        case .pageUnmap:
            return .unmap(slot)
        case .pageMap:
            guard invocation.length >= 3, let vspaceSlot = invocation.extraCap(0) else { throw .truncatedMessage }
            let address = invocation.argument(0)
            let rightsMask = CapRights(rawValue: invocation.argument(1))
            let attributes = invocation.argument(2)
            let (root, asid) = try mappedVSpace(vspaceSlot.cap)
            let rights = cap.frameRights.masked(by: rightsMask)
            let pageBits = cap.frameSizeBits
            let last = address &+ (Word(1) << Word(pageBits)) &- 1
            guard last >= address, last < configuration.userTop else { throw .invalidArgument(index: 0) }
            guard address & lowBitsMask(pageBits) == 0 else { throw .alignmentError }
            let found = lookupPTSlot(root: root, address)
            guard found.bitsLeft == pageBits else {
                throw .failedLookup(isSource: false, .missingCapability(bitsLeft: found.bitsLeft))
            }
            if cap.mapping.isMapped {
                // A remap changes the rights or attributes of the same mapping only.
                guard cap.mapping.asid == asid else { throw .invalidCapability(index: 1) }
                guard cap.mapping.address == address else { throw .invalidArgument(index: 0) }
                if PTE.isTable(found.entry.pointee) { throw .deleteFirst }
            } else if found.entry.pointee & PTE.valid != 0 {
                throw .deleteFirst
            }
            var mapped = cap
            mapped.mapping = MappingData(asid: asid, address: address)
            // seL4_RISCV_ExecuteNever is bit 0 of the attributes.
            return .map(slot, mapped, entry: found.entry,
                        pte: PTE.user(physicalAddress(cap.address), rights: rights, executable: attributes & 1 == 0))
        default:
            throw .illegalOperation
        }
    }

    /// `performPageInvocation*` and `performPageGetAddress`.
    func perform(_ operation: FrameOperation) -> InvocationResult {
        switch operation {
        case .getAddress(let address):
            return .word(address)
        case .unmap(let slot):
            let cap = slot.cap
            unmapFrame(cap)
            var unmapped = cap
            unmapped.mapping = .unmapped
            slot.cap = unmapped
        case .map(let slot, let mapped, let entry, let pte):
            slot.cap = mapped
            entry.pointee = pte
            translationGeneration &+= 1
        }
        return .empty
    }

    /// `unmapPage`: clears the entry that maps this frame where the cap says, if the VSpace
    /// still exists and the entry still maps this frame at the frame's size.
    func unmapFrame(_ cap: Capability) {
        guard cap.mapping.isMapped, let root = findVSpace(asid: cap.mapping.asid) else { return }
        let found = lookupPTSlot(root: root, cap.mapping.address)
        let entry = found.entry.pointee
        guard found.bitsLeft == cap.frameSizeBits, entry & PTE.valid != 0, !PTE.isTable(entry),
              PTE.address(entry) == physicalAddress(cap.address) else { return }
        found.entry.pointee = 0
        translationGeneration &+= 1
    }
}
