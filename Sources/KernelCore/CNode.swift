import SeL4ABI

/// CNode invocations (CNODE-1..10): decoded completely, every check in seL4's order, before
/// anything changes.
extension Kernel {
    func decodeCNodeInvocation(_ invocation: Invocation, cap: Capability) throws(SyscallError) {
        guard let label = InvocationLabel(rawValue: invocation.label),
              label.rawValue >= InvocationLabel.cnodeRevoke.rawValue,
              label.rawValue <= InvocationLabel.cnodeSaveCaller.rawValue
        else { throw .illegalOperation }
        guard invocation.length >= 2 else { throw .truncatedMessage }
        let index = invocation.argument(0), depth = invocation.argument(1)
        let target = try lookupSlotForCNodeOp(isSource: false, root: cap, index, depth: depth).get()
        let thread = invocation.thread

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
            thread.state = .restart
            if isMove {
                move(newCap, from: source, to: target)
            } else {
                insert(newCap, into: target, derivedFrom: source)
            }

        case .cnodeRevoke:
            thread.state = .restart
            revoke(target)

        case .cnodeDelete:
            thread.state = .restart
            deleteCap(in: target)

        case .cnodeSaveCaller:
            guard target.cap.isNull else { throw .deleteFirst }
            thread.state = .restart
            // REPLY-6: moves the caller cap; with none, succeeds and does nothing.
            let callerSlot = thread.slot(.caller)
            let callerCap = callerSlot.cap
            if callerCap.type == .reply {
                move(callerCap, from: callerSlot, to: target)
                observe(.replyCapCreated(caller: Thread(address: callerCap.address) ?? thread, holder: thread))
            }

        case .cnodeCancelBadgedSends:
            let targetCap = target.cap
            // hasCancelSendRights: an endpoint cap with all four rights.
            guard targetCap.type == .endpoint, targetCap.rights == .all,
                  let endpoint = Endpoint(address: targetCap.address)
            else { throw .illegalOperation }
            thread.state = .restart
            if targetCap.badge != 0 { cancelBadgedSends(endpoint, badge: targetCap.badge) }

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
            thread.state = .restart
            if source == target {
                // Swap: the source's cap goes to the pivot and the pivot's to the source.
                swap(pivot, source, capForA: newSourceCap, capForB: newPivotCap)
            } else {
                move(newPivotCap, from: pivot, to: target)
                move(newSourceCap, from: source, to: pivot)
            }

        default:
            throw .illegalOperation
        }
    }
}
