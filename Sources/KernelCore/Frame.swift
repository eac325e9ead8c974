import SeL4ABI

/// Frame invocations. A frame cap is one mapping: Map records where its frame is mapped in
/// the cap itself (copies start unmapped), Unmap and the cap's deletion remove that mapping.
/// Hosted frames are also identity-mapped (the hosted contract): a frame's address is its
/// physical address and a virtual address user code can always use; on hosted x86_64 a
/// mapped frame is reachable at its mapped address too (the runtime mirrors the mappings).
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

    /// Frame invocations of the kernel's model: `Page_Map(frame, vspace, vaddr, rights, attr)`,
    /// `Page_Unmap(frame)` and `Page_GetAddress(frame)`.
    func decodeFrameInvocation(_ invocation: Invocation, slot: Slot, cap: Capability) throws(SyscallError) -> FrameOperation {
        switch pagingOperation(invocation.label) {
        case .pageGetAddress:
            return .getAddress(physicalAddress(cap.address))
        case .pageUnmap:
            return .unmap(slot)
        case .pageMap:
            guard invocation.length >= 3, let vspaceSlot = invocation.extraCap(0) else { throw .truncatedMessage }
            if configuration.paging == .x86_64 { return try decodeX86PageMap(invocation, slot: slot, cap: cap, vspace: vspaceSlot.cap) }
            return try decodeRISCVPageMap(invocation, slot: slot, cap: cap, vspace: vspaceSlot.cap)
        default:
            throw .illegalOperation
        }
    }

    /// `seL4_RISCV_Page_Map` (seL4 `decodeRISCVFrameInvocation`, checks in its order).
    private func decodeRISCVPageMap(_ invocation: Invocation, slot: Slot, cap: Capability, vspace: Capability) throws(SyscallError) -> FrameOperation {
        let address = invocation.argument(0)
        let rightsMask = CapRights(rawValue: invocation.argument(1))
        let attributes = invocation.argument(2)
        let (root, asid) = try mappedVSpace(vspace)
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
        return .map(slot, mapped, entry: found.entry,
                    pte: PagingModel.sv39.leafEntry(physicalAddress(cap.address), bitsLeft: pageBits, rights: rights,
                                                    attributes: attributes))
    }

    /// `seL4_X86_Page_Map` (seL4 `decodeX86FrameInvocation` with `createSafeMappingEntries_PTE`,
    /// `_PDE` and `_PDPTE`, checks in their order). A 4 KiB frame replaces whatever entry is
    /// there (x86 has no DeleteFirst for it); a large or huge page refuses to cover a table.
    private func decodeX86PageMap(_ invocation: Invocation, slot: Slot, cap: Capability, vspace: Capability) throws(SyscallError) -> FrameOperation {
        let address = invocation.argument(0)
        let rightsMask = CapRights(rawValue: invocation.argument(1))
        let attributes = invocation.argument(2)
        let pageBits = cap.frameSizeBits
        guard isValidNativeRoot(vspace) else { throw .invalidCapability(index: 1) }
        let asid = vspace.mapping.asid
        if cap.mapping.isMapped {
            guard cap.mapping.asid == asid else { throw .invalidCapability(index: 1) }
            guard cap.mapping.address == address else { throw .invalidArgument(index: 0) }
        } else {
            // vtop wraps only for addresses far above USER_TOP, which the first test catches.
            let top = address &+ (Word(1) << Word(pageBits))
            guard address <= PagingModel.x86UserTop, top <= PagingModel.x86UserTop else { throw .invalidArgument(index: 0) }
        }
        let (root, _) = try vspaceRoot(of: vspace)
        let rights = cap.frameRights.masked(by: rightsMask)
        guard address & lowBitsMask(pageBits) == 0 else { throw .alignmentError }
        let found = lookupPTSlot(root: root, address, stoppingAt: pageBits)
        guard found.bitsLeft == pageBits else {
            throw .failedLookup(isSource: false, .missingCapability(bitsLeft: found.bitsLeft))
        }
        if pageBits > Constants.pageBits && X86PTE.isTable(found.entry.pointee, bitsLeft: pageBits) { throw .deleteFirst }
        var mapped = cap
        mapped.mapping = MappingData(asid: asid, address: address)
        return .map(slot, mapped, entry: found.entry,
                    pte: X86PTE.leaf(physicalAddress(cap.address), bitsLeft: pageBits, rights: rights, attributes: attributes))
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
            translationsChanged()
        }
        return .empty
    }

    /// `unmapPage`: clears the entry that maps this frame where the cap says, if the VSpace
    /// still exists and the entry still maps this frame at the frame's size.
    func unmapFrame(_ cap: Capability) {
        guard cap.mapping.isMapped, let root = findVSpace(asid: cap.mapping.asid) else { return }
        let model = configuration.paging
        let found = lookupPTSlot(root: root, cap.mapping.address, stoppingAt: cap.frameSizeBits)
        let entry = found.entry.pointee
        guard found.bitsLeft == cap.frameSizeBits, model.isPresent(entry), !model.isTable(entry, bitsLeft: found.bitsLeft),
              model.address(entry, bitsLeft: found.bitsLeft) == physicalAddress(cap.address) else { return }
        found.entry.pointee = 0
        translationsChanged()
    }
}
