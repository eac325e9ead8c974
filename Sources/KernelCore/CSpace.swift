import SeL4ABI

/// CSpace addressing (LOOKUP-1..4, CNODE-2).
@inline(__always) func lowBitsMask(_ bits: Int) -> Word {
    bits >= 64 ? ~0 : (1 << Word(bits)) - 1
}

/// A slot found by a lookup, with the CPtr bits left unresolved when resolution stopped at a
/// slot that does not hold a CNode.
struct ResolvedSlot {
    var slot: Slot
    var bitsRemaining: Int
}

extension Kernel {
    /// `resolveAddressBits` (LOOKUP-1): walks CNodes from `root`, consuming the low `bits`
    /// bits of `cptr` from the most significant down, guard first at each level.
    /// The usual CSpace, a single CNode whose guard and radix take all 64 bits, resolves
    /// inline (`oneLevelSlot`); every other shape and every failure takes the walk.
    @inline(__always)
    func resolveAddressBits(_ root: Capability, _ cptr: Word, _ bits: Int) -> Result<ResolvedSlot, LookupFailure> {
        if bits == Constants.wordBits, let slot = oneLevelSlot(root, cptr) {
            return .success(ResolvedSlot(slot: slot, bitsRemaining: 0))
        }
        return walkAddressBits(root, cptr, bits)
    }

    /// The slot `cptr` names at depth 64 in `root` when `root` is a CNode whose guard and radix
    /// take all 64 bits and the guard matches: the walk's first and only level, with nothing
    /// left (its guard is the CPtr's top bits, its index the rest). nil otherwise.
    @inline(__always)
    func oneLevelSlot(_ root: Capability, _ cptr: Word) -> Slot? {
        guard root.type == .cnode else { return nil }
        let radix = root.cnodeRadix, guardSize = root.cnodeGuardSize
        guard radix + guardSize == Constants.wordBits && radix != 0 && guardSize != 0,
              cptr >> Word(radix) == root.cnodeGuard
        else { return nil }
        return Slot.at(base: root.address, index: Int(cptr & lowBitsMask(radix)))
    }

    @inline(never)
    func walkAddressBits(_ root: Capability, _ cptr: Word, _ bits: Int) -> Result<ResolvedSlot, LookupFailure> {
        guard root.type == .cnode else { return .failure(.invalidRoot) }
        var node = root
        var remaining = bits
        while true {
            let radix = node.cnodeRadix, guardSize = node.cnodeGuardSize
            let levelBits = radix + guardSize
            let guardFound = guardSize == 0 || guardSize > remaining
                ? 0 : (cptr >> Word(remaining - guardSize)) & lowBitsMask(guardSize)
            if guardSize > remaining || guardFound != node.cnodeGuard {
                return .failure(.guardMismatch(guardFound: node.cnodeGuard, bitsFound: guardSize, bitsLeft: remaining))
            }
            // A CNode resolves at least one bit (radix >= 1 is enforced at retype and Mint).
            if levelBits > remaining || levelBits == 0 {
                return .failure(.depthMismatch(bitsFound: levelBits, bitsLeft: remaining))
            }
            let index = (cptr >> Word(remaining - levelBits)) & lowBitsMask(radix)
            let slot = Slot.at(base: node.address, index: Int(index))
            remaining -= levelBits
            if remaining == 0 { return .success(ResolvedSlot(slot: slot, bitsRemaining: 0)) }
            let next = slot.cap
            if next.type != .cnode { return .success(ResolvedSlot(slot: slot, bitsRemaining: remaining)) }
            node = next
        }
    }

    /// `lookupSlot` (LOOKUP-2): from the thread's CSpace root at depth 64, ignoring leftover
    /// bits; an empty slot is found, not a failure.
    func lookupSlot(_ thread: Thread, _ cptr: Word) -> Result<Slot, LookupFailure> {
        switch resolveAddressBits(thread.slot(.cspace).cap, cptr, Constants.wordBits) {
        case .success(let resolved): .success(resolved.slot)
        case .failure(let failure): .failure(failure)
        }
    }

    /// `lookupSlotForCNodeOp` (CNODE-2, LOOKUP-3): exact depth, root must be a CNode.
    func lookupSlotForCNodeOp(isSource: Bool, root: Capability, _ cptr: Word, depth: Word) -> Result<Slot, SyscallError> {
        guard root.type == .cnode else { return .failure(.failedLookup(isSource: isSource, .invalidRoot)) }
        guard depth >= 1 && depth <= Word(Constants.wordBits) else {
            return .failure(.rangeError(min: 1, max: Word(Constants.wordBits)))
        }
        switch resolveAddressBits(root, cptr, Int(depth)) {
        case .failure(let failure):
            return .failure(.failedLookup(isSource: isSource, failure))
        case .success(let resolved):
            if resolved.bitsRemaining != 0 {
                return .failure(.failedLookup(isSource: isSource, .depthMismatch(bitsFound: 0, bitsLeft: resolved.bitsRemaining)))
            }
            return .success(resolved.slot)
        }
    }

    /// The slots of a CNode cap's object, for invariant checks and boot.
    func slotCount(of cnode: Capability) -> Int { 1 << cnode.cnodeRadix }
}
