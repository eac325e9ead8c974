import SeL4ABI

/// The memory of one capability slot (seL4's `cte_t`): the cap and its place in the
/// capability derivation tree (CDT), 32 bytes (`seL4_SlotBits = 5`).
///
/// The CDT is a doubly linked list in pre-order: a cap's descendants follow it. Whether the
/// next entry is a child is decided by `Kernel.isParent(_:of:)` (seL4's `isMDBParentOf`).
/// `prevAndFlags` holds the previous slot's address with three flags in its low bits (slots are
/// 32-byte aligned): revocable, first badged, and "being deleted" (the slot holds a cap whose
/// object is being finalised, see `Kernel.deleteCap`).
@usableFromInline
struct SlotStorage {
    @usableFromInline var cap: Capability
    @usableFromInline var prevAndFlags: Word
    @usableFromInline var next: Word
}

/// A handle on a capability slot: a CNode entry or one of a TCB's five slots (TS-4).
public struct Slot: Hashable, @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<SlotStorage>

    @inlinable init(_ pointer: UnsafeMutablePointer<SlotStorage>) { self.pointer = pointer }

    init?(address: Word) {
        guard let raw = UnsafeMutableRawPointer(bitPattern: UInt(address)) else { return nil }
        pointer = raw.assumingMemoryBound(to: SlotStorage.self)
    }

    public var address: Word { Word(UInt(bitPattern: pointer)) }

    @inlinable public var cap: Capability {
        get { pointer.pointee.cap }
        nonmutating set { pointer.pointee.cap = newValue }
    }

    static let revocableFlag: Word = 1
    static let firstBadgedFlag: Word = 2
    static let beingDeletedFlag: Word = 4
    static let flagMask: Word = 7

    var prev: Slot? {
        get { Slot(address: pointer.pointee.prevAndFlags & ~Slot.flagMask) }
        nonmutating set {
            pointer.pointee.prevAndFlags = (newValue?.address ?? 0) | (pointer.pointee.prevAndFlags & Slot.flagMask)
        }
    }
    var next: Slot? {
        get { Slot(address: pointer.pointee.next) }
        nonmutating set { pointer.pointee.next = newValue?.address ?? 0 }
    }

    private func flag(_ bit: Word) -> Bool { pointer.pointee.prevAndFlags & bit != 0 }
    private func setFlag(_ bit: Word, _ on: Bool) {
        if on { pointer.pointee.prevAndFlags |= bit } else { pointer.pointee.prevAndFlags &= ~bit }
    }
    var isRevocable: Bool {
        get { flag(Slot.revocableFlag) }
        nonmutating set { setFlag(Slot.revocableFlag, newValue) }
    }
    var isFirstBadged: Bool {
        get { flag(Slot.firstBadgedFlag) }
        nonmutating set { setFlag(Slot.firstBadgedFlag, newValue) }
    }
    var isBeingDeleted: Bool {
        get { flag(Slot.beingDeletedFlag) }
        nonmutating set { setFlag(Slot.beingDeletedFlag, newValue) }
    }

    /// Empties the slot completely: cap, links and flags.
    func clear() {
        pointer.pointee = SlotStorage(cap: .null, prevAndFlags: 0, next: 0)
    }

    /// The slot `index` of the array of slots starting at `base` (a CNode or a TCB).
    /// Slot `index` of the slot array at `base` (a CNode or a TCB). Object addresses are never
    /// 0 and indices are in range (callers mask or bound them), so neither the addition nor
    /// the pointer is checked again here, on every lookup.
    @inlinable @inline(__always)
    static func at(base: Word, index: Int) -> Slot {
        Slot(UnsafeMutablePointer<SlotStorage>(bitPattern: UInt(base &+ Word(index) &<< Word(Constants.slotBits))).unsafelyUnwrapped)
    }
}

// MARK: - Capability derivation tree (CNODE-3..9)

extension Kernel {
    /// `isMDBParentOf`: `child` (the entry after `parent` in the list) descends from `parent`.
    /// A badged endpoint or notification cap is the parent only of copies with its badge that
    /// are not themselves first-badged (freshly minted) caps.
    func isParent(_ parent: Slot, of child: Slot) -> Bool {
        guard parent.isRevocable else { return false }
        let p = parent.cap, c = child.cap
        guard p.sameRegion(as: c) else { return false }
        switch p.type {
        case .endpoint, .notification:
            if p.badge == 0 { return true }
            return p.badge == c.badge && !child.isFirstBadged
        default:
            return true
        }
    }

    /// `isCapRevocable`: a cap minted with a new badge, and every untyped cap, heads its own
    /// subtree (revocable); plain copies do not.
    func isRevocable(_ new: Capability, derivedFrom source: Capability) -> Bool {
        switch new.type {
        case .endpoint, .notification:
            return new.badge != source.badge
        case .untyped:
            return true
        default:
            return false
        }
    }

    /// `cteInsert`: place `cap` (derived from the cap in `source`) into the empty `dest`, as the
    /// entry right after `source` in the CDT.
    @inline(__always)
    func insert(_ cap: Capability, into dest: Slot, derivedFrom source: Slot) {
        let revocable = isRevocable(cap, derivedFrom: source.cap)
        // `setUntypedCapAsFull`: a copy of an untyped leaves the original unable to retype.
        if cap.type == .untyped, source.cap.type == .untyped, cap.address == source.cap.address,
           cap.untypedSizeBits == source.cap.untypedSizeBits {
            var full = source.cap
            full.untypedFreeIndex = Word(1) << Word(full.untypedSizeBits)
            source.cap = full
        }
        dest.clear()
        dest.cap = cap
        dest.isRevocable = revocable
        dest.isFirstBadged = revocable
        link(dest, after: source)
    }

    /// Inserts a cap that has no parent slot (boot-time originals) as a revocable root.
    func insertOriginal(_ cap: Capability, into dest: Slot) {
        dest.clear()
        dest.cap = cap
        dest.isRevocable = true
    }

    @inline(__always)
    func link(_ slot: Slot, after source: Slot) {
        let following = source.next
        slot.prev = source
        slot.next = following
        following?.prev = slot
        source.next = slot
    }

    @inline(__always)
    func unlink(_ slot: Slot) {
        let before = slot.prev, after = slot.next
        // `emptySlot`: the entry after inherits "first badged", keeping badge subtrees apart.
        if slot.isFirstBadged, let after { after.isFirstBadged = true }
        before?.next = after
        after?.prev = before
        slot.prev = nil
        slot.next = nil
    }

    /// `cteMove`: the cap (possibly updated) moves with its CDT position; `source` becomes empty.
    func move(_ cap: Capability, from source: Slot, to dest: Slot) {
        let storage = source.pointer.pointee
        dest.pointer.pointee = storage
        dest.cap = cap
        dest.prev?.next = dest
        dest.next?.prev = dest
        source.clear()
    }

    /// `cteSwap`: exchanges two slots' caps and CDT positions (Rotate with dest = src).
    func swap(_ a: Slot, _ b: Slot, capForA: Capability, capForB: Capability) {
        // Give each slot the other's links, then repair neighbours; adjacent entries are
        // handled by fixing the links through the slots themselves afterwards.
        let aStorage = a.pointer.pointee, bStorage = b.pointer.pointee
        let aPrev = a.prev, aNext = a.next, bPrev = b.prev, bNext = b.next
        a.pointer.pointee = bStorage
        b.pointer.pointee = aStorage
        a.cap = capForA
        b.cap = capForB
        // a now sits where b was, b where a was.
        a.prev = bPrev == a ? b : bPrev
        a.next = bNext == a ? b : bNext
        b.prev = aPrev == b ? a : aPrev
        b.next = aNext == b ? a : aNext
        a.prev?.next = a
        a.next?.prev = a
        b.prev?.next = b
        b.next?.prev = b
    }

    /// `isFinalCapability`: no other cap to the same object. Caps to one object are adjacent
    /// in the CDT, so looking at the two neighbours suffices.
    func isFinal(_ slot: Slot) -> Bool {
        let cap = slot.cap
        if let before = slot.prev, before.cap.sameObject(as: cap) { return false }
        if let after = slot.next, after.cap.sameObject(as: cap) { return false }
        return true
    }

    /// `ensureNoChildren`.
    func hasChildren(_ slot: Slot) -> Bool {
        guard let after = slot.next else { return false }
        return isParent(slot, of: after)
    }

    /// `deriveCap` with the slot-dependent rule: an untyped with children cannot be copied
    /// (XFER-7, CNODE-3).
    func derive(_ slot: Slot, _ cap: Capability) -> Result<Capability, SyscallError> {
        if cap.type == .untyped && hasChildren(slot) { return .failure(.revokeFirst) }
        // XFER-7, CNODE-3 (seL4 `Arch_deriveCap`): an unmapped paging structure or VSpace
        // root cannot be derived; a mapped one copies with its mapping.
        if cap.type == .pageTable && !cap.pageTableIsMapped { return .failure(.illegalOperation) }
        return .success(cap.derived)
    }

    /// `cteDelete`: empties `slot`. If it held the last cap to an object the object is
    /// finalised (CNODE-8): queued threads are restarted, bindings undone, and a CNode's or
    /// TCB's own slots deleted in turn.
    ///
    /// Nested containers (a CNode holding the last cap to another CNode...) are emptied depth
    /// first without recursion: the slot holding a container's cap stays filled, marked
    /// "being deleted", and its `next` word points back at the slot holding the parent
    /// container's cap, so the walk needs no memory beyond the slots themselves and cannot
    /// overflow the kernel stack whatever a user builds.
    func deleteCap(in slot: Slot) {
        let cap = slot.cap
        guard !cap.isNull, !slot.isBeingDeleted else { return }
        let final = isFinal(slot)
        unlink(slot)
        guard final, cap.type == .cnode || cap.type == .thread else {
            slot.clear()
            finaliseLeaf(cap, final: final)
            return
        }
        var frame = slot
        frame.isBeingDeleted = true
        frame.pointer.pointee.next = 0
        prepareContainerForDeletion(cap)
        var index = 0
        while true {
            let container = frame.cap
            let count = container.type == .cnode ? 1 << container.cnodeRadix : ThreadSlot.count
            var descended = false
            while index < count {
                let inner = Slot.at(base: container.address, index: index)
                index += 1
                let innerCap = inner.cap
                if innerCap.isNull || inner.isBeingDeleted { continue }
                let innerFinal = isFinal(inner)
                unlink(inner)
                if innerFinal && (innerCap.type == .cnode || innerCap.type == .thread) {
                    inner.isBeingDeleted = true
                    inner.pointer.pointee.next = frame.address
                    prepareContainerForDeletion(innerCap)
                    frame = inner
                    index = 0
                    descended = true
                    break
                }
                inner.clear()
                finaliseLeaf(innerCap, final: innerFinal)
            }
            if descended { continue }
            let parentAddress = frame.pointer.pointee.next
            let finished = frame
            finished.clear()
            guard let parent = Slot(address: parentAddress) else { return }
            let parentBase = parent.cap.address
            index = Int((finished.address - parentBase) >> Word(Constants.slotBits)) + 1
            frame = parent
        }
    }

    /// `Revoke` (CNODE-9): deletes every descendant of the cap in `slot`, not the cap itself.
    func revoke(_ slot: Slot) {
        while let child = slot.next, isParent(slot, of: child) {
            deleteCap(in: child)
        }
    }
}
