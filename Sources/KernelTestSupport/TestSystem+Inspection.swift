import KernelCore

/// Read-only views of kernel memory for tests of the CSpace, the CDT and kernel objects,
/// built on the layouts KernelCore documents: a slot is 32 bytes (cap word0, cap word1,
/// previous slot with flags in the low 3 bits, next slot); an endpoint is head, tail|state;
/// a notification is bound TCB, word, head, tail|state.
extension TestSystem {
    /// Address of the root CNode object.
    public var rootCNodeAddress: Word { root.slot(.cspace).cap.address }

    /// Address of slot `index` of the CNode named by the cap in root slot `cnodeSlot`
    /// (the root CNode itself when `cnodeSlot` is nil).
    public func slotAddress(_ index: Word, inCNodeAt cnodeSlot: Word? = nil) -> Word {
        let cnode = cnodeSlot.map { capability(at: $0) } ?? root.slot(.cspace).cap
        return cnode.cnodeSlot(index)?.address ?? 0
    }

    /// The cap in slot `index` of the CNode whose cap is in root slot `cnodeSlot`.
    public func capability(_ index: Word, inCNodeAt cnodeSlot: Word) -> Capability {
        capability(atSlotAddress: slotAddress(index, inCNodeAt: cnodeSlot))
    }

    public func capability(atSlotAddress address: Word) -> Capability {
        UnsafeMutablePointer<Capability>(bitPattern: UInt(address))!.pointee
    }

    /// The four raw words of the slot at `address` (cap, CDT links and flags).
    public func rawSlot(atAddress address: Word) -> [Word] {
        let words = UnsafePointer<Word>(bitPattern: UInt(address))!
        return [words[0], words[1], words[2], words[3]]
    }

    /// Every raw word of every slot of a CNode (default: the root CNode), for before/after
    /// comparisons that must also see CDT links and flags.
    public func snapshot(cnodeAt cnodeSlot: Word? = nil) -> [Word] {
        let cap = cnodeSlot.map { capability(at: $0) } ?? root.slot(.cspace).cap
        let words = UnsafePointer<Word>(bitPattern: UInt(cap.address))!
        return Array(UnsafeBufferPointer(start: words, count: (1 << cap.cnodeRadix) * 4))
    }

    /// The slot after / before the slot at `address` in the CDT list (0: none).
    public func cdtNext(ofSlotAddress address: Word) -> Word { rawSlot(atAddress: address)[3] }
    public func cdtPrev(ofSlotAddress address: Word) -> Word { rawSlot(atAddress: address)[2] & ~7 }
    /// The slot's "revocable" and "first badged" flags.
    public func isRevocable(slotAddress address: Word) -> Bool { rawSlot(atAddress: address)[2] & 1 != 0 }
    public func isFirstBadged(slotAddress address: Word) -> Bool { rawSlot(atAddress: address)[2] & 2 != 0 }

    /// State and queue head of the endpoint at `address` (EP-1).
    public func endpointState(atAddress address: Word) -> EndpointState {
        let words = UnsafePointer<Word>(bitPattern: UInt(address))!
        return EndpointState(rawValue: words[1] & 3)!
    }
    public func endpointHead(atAddress address: Word) -> Thread? {
        let words = UnsafePointer<Word>(bitPattern: UInt(address))!
        return words[0] == 0 ? nil : Thread(base: UnsafeMutableRawPointer(bitPattern: UInt(words[0]))!)
    }
    /// State of the endpoint named by the cap in root slot `slot`.
    public func endpointState(_ slot: Word) -> EndpointState { endpointState(atAddress: capability(at: slot).address) }

    /// State, word and bound TCB of the notification at `address` (NTFN-0).
    public func notificationState(atAddress address: Word) -> NotificationState {
        let words = UnsafePointer<Word>(bitPattern: UInt(address))!
        return NotificationState(rawValue: words[3] & 3)!
    }
    public func notificationWord(atAddress address: Word) -> Word {
        UnsafePointer<Word>(bitPattern: UInt(address))![1]
    }
    public func notificationBoundThread(atAddress address: Word) -> Thread? {
        let bound = UnsafePointer<Word>(bitPattern: UInt(address))![0]
        return bound == 0 ? nil : Thread(base: UnsafeMutableRawPointer(bitPattern: UInt(bound))!)
    }
    public func notificationState(_ slot: Word) -> NotificationState { notificationState(atAddress: capability(at: slot).address) }

    /// Root slots of the boot untypeds that are device memory.
    public var deviceUntypedSlots: [Word] {
        (kernel.bootInfo.untypedStart..<kernel.bootInfo.untypedEnd).filter { capability(at: $0).untypedIsDevice }
    }

    /// A CNode invocation on the cap in root slot `cnode` (default: the root CNode), with the
    /// root CNode as every extra cap unless given.
    @discardableResult
    public func cnodeInvoke(_ label: InvocationLabel, _ args: [Word], cnode: Word = Word(InitialSlot.cnode),
                            extraCaps: [Word]? = nil, by thread: Thread? = nil) -> Registers {
        let caps = extraCaps ?? [Word(InitialSlot.cnode)]
        return invoke(cnode, label: label, args: args, extraCaps: caps, by: thread)
    }
}
