import SeL4ABI

/// A decoded CNode invocation (CNODE-1..10), every check made: seL4's `invokeCNode*`.
enum CNodeOperation {
    /// `invokeCNodeInsert` (Copy, Mint): `cap`, derived from the source, into the empty slot.
    case insert(Capability, source: Slot, destination: Slot)
    /// `invokeCNodeMove` (Move, Mutate): the source's cap, as `cap`, into the empty slot.
    case move(Capability, source: Slot, destination: Slot)
    /// `invokeCNodeRevoke`.
    case revoke(Slot)
    /// `invokeCNodeDelete`.
    case delete(Slot)
    /// `invokeCNodeSaveCaller` (REPLY-6): the invoker's caller cap into the empty slot.
    case saveCaller(destination: Slot)
    /// `invokeCNodeCancelBadgedSends`: nothing for an unbadged cap.
    case cancelBadgedSends(Endpoint, badge: Word)
    /// `invokeCNodeRotate`: the pivot's cap (as `pivotCap`) to the destination and the
    /// source's (as `sourceCap`) to the pivot; a swap when source and destination are one slot.
    case rotate(sourceCap: Capability, pivotCap: Capability, source: Slot, pivot: Slot, destination: Slot)
}

/// CNode invocations: decoded completely, every check in seL4's order, before anything changes.
extension Kernel {
    /// `decodeCNodeInvocation`.
    func decodeCNodeInvocation(_ invocation: Invocation, cap: Capability) throws(SyscallError) -> CNodeOperation {
        guard let label = InvocationLabel(rawValue: invocation.label),
              label.rawValue >= InvocationLabel.cnodeRevoke.rawValue,
              label.rawValue <= InvocationLabel.cnodeSaveCaller.rawValue
        else { throw .illegalOperation }
        guard invocation.length >= 2 else { throw .truncatedMessage }
        let index = invocation.argument(0), depth = invocation.argument(1)
        let target = try lookupSlotForCNodeOp(isSource: false, root: cap, index, depth: depth).get()

        switch label {
        case .cnodeCopy, .cnodeMint, .cnodeMove, .cnodeMutate:
            guard invocation.length >= 4, let sourceRoot = invocation.extraCap(0) else { throw .truncatedMessage }
            let sourceIndex = invocation.argument(2), sourceDepth = invocation.argument(3)
            guard target.cap.isNull else { throw .deleteFirst }
            let source = try lookupSlotForCNodeOp(isSource: true, root: sourceRoot.cap, sourceIndex, depth: sourceDepth).get()
            let sourceCap = source.cap
            guard !sourceCap.isNull else {
                throw .failedLookup(isSource: true, .missingCapability(bitsLeft: Int(sourceDepth)))
            }
            let newCap: Capability
            let isMove: Bool
            switch label {
            case .cnodeCopy:
                guard invocation.length >= 5 else { throw .truncatedMessage }
                let rights = CapRights(rawValue: invocation.argument(4))
                newCap = try derive(source, sourceCap.maskingRights(rights)).get()
                isMove = false
            case .cnodeMint:
                guard invocation.length >= 6 else { throw .truncatedMessage }
                let rights = CapRights(rawValue: invocation.argument(4))
                let data = invocation.argument(5)
                newCap = try derive(source, sourceCap.maskingRights(rights).updatingData(data, preserve: false)).get()
                isMove = false
            case .cnodeMove:
                newCap = sourceCap
                isMove = true
            default:  // Mutate
                guard invocation.length >= 5 else { throw .truncatedMessage }
                newCap = sourceCap.updatingData(invocation.argument(4), preserve: true)
                isMove = true
            }
            guard !newCap.isNull else { throw .illegalOperation }
            return isMove ? .move(newCap, source: source, destination: target)
                : .insert(newCap, source: source, destination: target)

        case .cnodeRevoke:
            return .revoke(target)

        case .cnodeDelete:
            return .delete(target)

        case .cnodeSaveCaller:
            guard target.cap.isNull else { throw .deleteFirst }
            return .saveCaller(destination: target)

        case .cnodeCancelBadgedSends:
            let targetCap = target.cap
            // hasCancelSendRights: an endpoint cap with all four rights.
            guard targetCap.type == .endpoint, targetCap.rights == .all,
                  let endpoint = Endpoint(address: targetCap.address)
            else { throw .illegalOperation }
            return .cancelBadgedSends(endpoint, badge: targetCap.badge)

        case .cnodeRotate:
            guard invocation.length >= 8, let pivotRoot = invocation.extraCap(0),
                  let sourceRoot = invocation.extraCap(1)
            else { throw .truncatedMessage }
            let pivotData = invocation.argument(2), pivotIndex = invocation.argument(3), pivotDepth = invocation.argument(4)
            let sourceData = invocation.argument(5), sourceIndex = invocation.argument(6), sourceDepth = invocation.argument(7)
            let source = try lookupSlotForCNodeOp(isSource: true, root: sourceRoot.cap, sourceIndex, depth: sourceDepth).get()
            let pivot = try lookupSlotForCNodeOp(isSource: true, root: pivotRoot.cap, pivotIndex, depth: pivotDepth).get()
            guard pivot != source, pivot != target else { throw .illegalOperation }
            if source != target && !target.cap.isNull { throw .deleteFirst }
            guard !source.cap.isNull else {
                throw .failedLookup(isSource: true, .missingCapability(bitsLeft: Int(sourceDepth)))
            }
            guard !pivot.cap.isNull else {
                // seL4 reports an empty pivot as a destination-side failure.
                throw .failedLookup(isSource: false, .missingCapability(bitsLeft: Int(pivotDepth)))
            }
            let newSourceCap = source.cap.updatingData(sourceData, preserve: true)
            let newPivotCap = pivot.cap.updatingData(pivotData, preserve: true)
            guard !newSourceCap.isNull, !newPivotCap.isNull else { throw .illegalOperation }
            return .rotate(sourceCap: newSourceCap, pivotCap: newPivotCap, source: source, pivot: pivot,
                           destination: target)

        default:
            throw .illegalOperation
        }
    }

    /// `invokeCNode*`: performs a decoded CNode operation for `invoker`.
    func perform(_ operation: CNodeOperation, by invoker: Thread) -> InvocationResult {
        switch operation {
        case .insert(let cap, let source, let destination):
            insert(cap, into: destination, derivedFrom: source)
        case .move(let cap, let source, let destination):
            move(cap, from: source, to: destination)
        case .revoke(let slot):
            revoke(slot)
        case .delete(let slot):
            deleteCap(in: slot)
        case .saveCaller(let destination):
            // REPLY-6: moves the caller cap; with none, succeeds and does nothing.
            let callerSlot = invoker.slot(.caller)
            let callerCap = callerSlot.cap
            if callerCap.type == .reply {
                move(callerCap, from: callerSlot, to: destination)
                observe(.replyCapCreated(caller: Thread(address: callerCap.address) ?? invoker, holder: invoker))
            }
        case .cancelBadgedSends(let endpoint, let badge):
            if badge != 0 { cancelBadgedSends(endpoint, badge: badge) }
        case .rotate(let sourceCap, let pivotCap, let source, let pivot, let destination):
            if source == destination {
                // Swap: the source's cap goes to the pivot and the pivot's to the source.
                swap(pivot, source, capForA: sourceCap, capForB: pivotCap)
            } else {
                move(pivotCap, from: pivot, to: destination)
                move(sourceCap, from: source, to: pivot)
            }
        }
        return .empty
    }
}
