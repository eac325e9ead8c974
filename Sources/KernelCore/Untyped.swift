import SeL4ABI

/// Untyped memory and `seL4_Untyped_Retype`: every object is made from an untyped cap, at
/// its size-aligned place above the untyped's watermark (the free index), and its cap is a
/// CDT child of the untyped.
extension Kernel {
    func decodeUntypedInvocation(_ invocation: Invocation, slot: Slot, cap: Capability) throws(SyscallError) {
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

        invocation.thread.state = .restart
        if reset { forgetObjects(in: cap.address, bytes: blockBytes) }
        let objectBytes = Word(1) << Word(objectBits)
        let alignedStart = (cap.address + freeIndex + objectBytes - 1) & ~(objectBytes - 1)
        var updated = cap
        updated.untypedFreeIndex = alignedStart + nodeWindow * objectBytes - cap.address
        slot.cap = updated
        for i in 0..<nodeWindow {
            let address = alignedStart + i * objectBytes
            let newCap = createObject(kind, at: address, sizeBits: objectBits, userSize: Int(userSize),
                                      isDevice: cap.untypedIsDevice)
            let dest = Slot.at(base: destination.address, index: Int(nodeOffset + i))
            // `insertNewCap`: each new cap is an original (revocable) child of the untyped.
            dest.clear()
            dest.cap = newCap
            dest.isRevocable = true
            link(dest, after: slot)
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
            Thread(address: address)!.initialiseFields()
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
