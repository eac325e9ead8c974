import SeL4ABI

/// Untyped memory and `seL4_Untyped_Retype`: every object is made from an untyped cap, at
/// its size-aligned place above the untyped's watermark (the free index), and its cap is a
/// CDT child of the untyped.

/// A decoded `seL4_Untyped_Retype`: seL4's `invokeUntyped_Retype`.
enum UntypedOperation {
    /// `count` objects of `kind` (`objectBits` each) from `base` up, their caps into slots
    /// `offset`... of the CNode at `cnode`; `reset` first returns the untyped's watermark to
    /// its start (it has no children left).
    case retype(untyped: Slot, reset: Bool, base: Word, kind: ObjectKind, objectBits: Int, userSize: Int,
                cnode: Word, offset: Word, count: Word)
}

extension Kernel {
    /// `decodeUntypedInvocation`.
    func decodeUntypedInvocation(_ invocation: Invocation, slot: Slot, cap: Capability) throws(SyscallError) -> UntypedOperation {
        guard invocation.label == InvocationLabel.untypedRetype.rawValue else { throw .illegalOperation }
        guard invocation.length >= 6, let rootSlot = invocation.extraCap(0) else { throw .truncatedMessage }
        let type = invocation.argument(0), userSize = invocation.argument(1)
        let nodeIndex = invocation.argument(2), nodeDepth = invocation.argument(3)
        let nodeOffset = invocation.argument(4), nodeWindow = invocation.argument(5)

        guard let kind = ObjectType.kind(of: type) else { throw .invalidArgument(index: 0) }
        let maxBits = Word(Constants.maxUntypedBits)
        guard userSize < Word(Constants.wordBits) else { throw .rangeError(min: 0, max: maxBits) }
        let objectBits = ObjectType.sizeBits(of: kind, userSize: Int(userSize))
        guard objectBits <= Constants.maxUntypedBits else { throw .rangeError(min: 0, max: maxBits) }
        if kind == .cnode && userSize == 0 { throw .invalidArgument(index: 1) }
        if kind == .untyped && userSize < Word(Constants.minUntypedBits) { throw .invalidArgument(index: 1) }

        let destination: Capability
        if nodeDepth == 0 {
            destination = rootSlot.cap
        } else {
            destination = try lookupSlotForCNodeOp(isSource: false, root: rootSlot.cap, nodeIndex, depth: nodeDepth).get().cap
        }
        guard destination.type == .cnode else {
            throw .failedLookup(isSource: false, .missingCapability(bitsLeft: Int(min(nodeDepth, 64))))
        }
        let nodeSize = Word(1) << Word(destination.cnodeRadix)
        guard nodeOffset <= nodeSize - 1 else { throw .rangeError(min: 0, max: nodeSize - 1) }
        let fanOut = Word(Constants.retypeFanOutLimit)
        guard nodeWindow >= 1 && nodeWindow <= fanOut else { throw .rangeError(min: 1, max: fanOut) }
        guard nodeWindow <= nodeSize - nodeOffset else { throw .rangeError(min: 1, max: nodeSize - nodeOffset) }
        for i in nodeOffset..<(nodeOffset + nodeWindow) {
            if !Slot.at(base: destination.address, index: Int(i)).cap.isNull { throw .deleteFirst }
        }

        // An untyped with no children left is reset: its watermark returns to the start.
        let reset = !hasChildren(slot)
        let freeIndex = reset ? 0 : cap.untypedFreeIndex
        let blockBytes = Word(1) << Word(cap.untypedSizeBits)
        let freeBytes = blockBytes - freeIndex
        guard (freeBytes >> Word(objectBits)) >= nodeWindow else { throw .notEnoughMemory(bytesAvailable: freeBytes) }
        if cap.untypedIsDevice {
            switch kind {
            case .frame, .untyped: break
            default: throw .invalidArgument(index: 1)
            }
        }

        let objectBytes = Word(1) << Word(objectBits)
        let base = (cap.address + freeIndex + objectBytes - 1) & ~(objectBytes - 1)
        return .retype(untyped: slot, reset: reset, base: base, kind: kind, objectBits: objectBits,
                       userSize: Int(userSize), cnode: destination.address, offset: nodeOffset, count: nodeWindow)
    }

    /// `invokeUntyped_Retype`.
    func perform(_ operation: UntypedOperation) -> InvocationResult {
        switch operation {
        case .retype(let slot, let reset, let base, let kind, let objectBits, let userSize, let cnode, let offset, let count):
            retype(slot, reset: reset, base: base, kind: kind, objectBits: objectBits, userSize: userSize,
                   cnode: cnode, offset: offset, count: count)
        }
        return .empty
    }

    private func retype(_ slot: Slot, reset: Bool, base: Word, kind: ObjectKind, objectBits: Int, userSize: Int,
                        cnode: Word, offset: Word, count: Word) {
        let cap = slot.cap
        if reset { forgetObjects(in: cap.address, bytes: Word(1) << Word(cap.untypedSizeBits)) }
        let objectBytes = Word(1) << Word(objectBits)
        var updated = cap
        updated.untypedFreeIndex = base + count * objectBytes - cap.address
        slot.cap = updated
        for i in 0..<count {
            let newCap = createObject(kind, at: base + i * objectBytes, sizeBits: objectBits, userSize: userSize,
                                      isDevice: cap.untypedIsDevice)
            let destination = Slot.at(base: cnode, index: Int(offset + i))
            // `insertNewCap`: each new cap is an original (revocable) child of the untyped.
            destination.clear()
            destination.cap = newCap
            destination.isRevocable = true
            link(destination, after: slot)
        }
    }

    /// Initialises an object's memory and returns the original cap to it. Kernel objects are
    /// zeroed; device memory is left as it is.
    func createObject(_ kind: ObjectKind, at address: Word, sizeBits: Int, userSize: Int, isDevice: Bool) -> Capability {
        let bytes = 1 << sizeBits
        if !isDevice, let raw = UnsafeMutableRawPointer(bitPattern: UInt(address)) {
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        }
        let cap = makeCap(kind, at: address, sizeBits: sizeBits, userSize: userSize, isDevice: isDevice)
        if !isDevice || cap.type != .frame { register(address, cap.type, sizeBits: sizeBits) }
        return cap
    }

    private func makeCap(_ kind: ObjectKind, at address: Word, sizeBits: Int, userSize: Int, isDevice: Bool) -> Capability {
        switch kind {
        case .untyped:
            return .untyped(address, sizeBits: userSize, isDevice: isDevice)
        case .thread:
            let thread = Thread(address: address)!
            thread.initialiseFields()
            threadListAppend(thread)
            return .thread(address)
        case .endpoint:
            return .endpoint(address, badge: 0, rights: .all)
        case .notification:
            return .notification(address, badge: 0, rights: .all)
        case .cnode:
            return .cnode(address, radix: userSize)
        case .frame(let bits):
            return .frame(address, sizeBits: bits, isDevice: isDevice)
        case .pageTable(let level):
            return .pageTable(address, level: level)
        }
    }
}
