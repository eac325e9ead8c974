import SeL4ABI

/// Invocations of kernel objects (SYS-2, SYS-3), in seL4's two steps: a decoder per object
/// family reads the message and checks everything, in seL4's order, and either throws the
/// error the caller gets or returns an operation value; `perform` carries the operation out and
/// cannot fail. Decoding changes nothing (tested byte for byte in DecodeTests); the invoker
/// becomes Restart only between the two steps (`handleInvocation`), as in seL4.
///
/// To add an invocation: a case in the family's decoder (`decodeXInvocation`), a case in its
/// operation enum (`XOperation`), and a case in its `perform`.

/// An invocation's arguments: the label, the message words as the kernel decodes them, and
/// the extra caps (SYS-2).
struct Invocation {
    let thread: Thread
    let label: Word
    let length: Int
    let buffer: IPCBuffer?
    let extraCaps: ExtraCaps
    let isCall: Bool
    let isBlocking: Bool
    unowned(unsafe) let kernel: Kernel

    /// Message word `i` of the invocation (`getSyscallArg`).
    func argument(_ i: Int) -> Word { kernel.messageRegister(thread, buffer, i) }
    func extraCap(_ i: Int) -> Slot? { i < extraCaps.count ? extraCaps[i] : nil }
}

/// The message words an operation reads when it is performed (seL4 passes the invoker's IPC
/// buffer to `invokeTCB_WriteRegisters` the same way): word `i` of the invoker's message.
struct MessageArguments {
    let thread: Thread
    let buffer: IPCBuffer?
    unowned(unsafe) let kernel: Kernel

    subscript(i: Int) -> Word { kernel.messageRegister(thread, buffer, i) }
}

/// What a performed operation answers a Call with, if the invoker is still Restart afterwards
/// (it did not block or stop): seL4's `replyFromKernel_success_empty`, or the reply its
/// `invokeX` writes itself.
enum InvocationResult {
    case empty
    /// A reply carrying one word (GetAddress, SetFlags).
    case word(Word)
    /// `invokeTCB_ReadRegisters`: the first `count` words of `thread`'s user context.
    case registers(of: Thread, count: Int)
}

/// A decoded invocation of an endpoint, notification or reply cap: the IPC itself. Kept apart
/// from `Operation` so that the IPC slowpath never builds (and copies) the larger enum.
enum MessageOperation {
    /// `performInvocation_Endpoint`: a Send, NBSend or Call on an endpoint cap.
    case send(Endpoint, badge: Word, canGrant: Bool, canGrantReply: Bool, isBlocking: Bool, isCall: Bool)
    /// `performInvocation_Notification`: a signal.
    case signal(Notification, badge: Word)
    /// `performInvocation_Reply`: a reply cap invoked from a CSpace slot.
    case reply(to: Thread, slot: Slot, canGrant: Bool)
}

/// A decoded invocation: one case per object family, each carrying that family's operation.
enum Operation {
    case message(MessageOperation)
    case cnode(CNodeOperation)
    case untyped(UntypedOperation)
    case thread(ThreadOperation)
    case domain(DomainOperation)
    case frame(FrameOperation)
    case pageTable(PageTableOperation)
    case asidPool(ASIDPoolOperation)
    case asidControl(ASIDControlOperation)
}

/// Why an invocation was not performed: its cap or an extra cap could not be looked up (a
/// cap fault for a blocking invocation, silence otherwise), or the decoder refused it.
enum InvocationFailure: Error {
    case capFault(address: Word, failure: LookupFailure)
    case syscallError(SyscallError)
}

extension Kernel {
    /// `handleInvocation`'s lookups (SYS-2 steps 1-4): the invoked slot, and the invocation
    /// as the kernel decodes it (label, length, buffer, extra caps). Changes nothing.
    @inline(__always)
    func lookUpInvocation(of thread: Thread, isCall: Bool, isBlocking: Bool) -> Result<(Invocation, Slot), InvocationFailure> {
        let info = MessageInfo.decodedFromRegister(thread[register: RegisterFile.msgInfoRegister])
        let cptr = thread[register: RegisterFile.capRegister]
        let slot: Slot
        switch lookupSlot(thread, cptr) {
        case .success(let found): slot = found
        case .failure(let failure): return .failure(.capFault(address: cptr, failure: failure))
        }
        let buffer = ipcBuffer(of: thread, forReceiving: false)
        let extraCaps: ExtraCaps
        switch lookupExtraCaps(thread, buffer, info) {
        case .success(let caps): extraCaps = caps
        case .failure(let error): return .failure(.capFault(address: error.cptr, failure: error.failure))
        }
        var length = Int(info.length)
        if length > Constants.fastMessageRegisters && buffer == nil { length = Constants.fastMessageRegisters }
        return .success((Invocation(thread: thread, label: info.label, length: length, buffer: buffer,
                                    extraCaps: extraCaps, isCall: isCall, isBlocking: isBlocking, kernel: self), slot))
    }

    /// `handleInvocation`'s lookups and decode (SYS-2 steps 1-5) without performing: what the
    /// tests call to check that decoding changes nothing.
    func decodeInvocation(of thread: Thread, isCall: Bool, isBlocking: Bool) -> Result<Operation, InvocationFailure> {
        switch lookUpInvocation(of: thread, isCall: isCall, isBlocking: isBlocking) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let (invocation, slot)):
            do throws(SyscallError) {
                return .success(try decodeInvocation(invocation, slot: slot, cap: slot.cap))
            } catch {
                return .failure(.syscallError(error))
            }
        }
    }

    /// `decodeInvocation`'s endpoint, notification and reply cases (SYS-3).
    @inline(__always)
    func decodeMessageInvocation(_ invocation: Invocation, slot: Slot, cap: Capability) throws(SyscallError) -> MessageOperation {
        switch cap.type {
        case .endpoint:
            guard cap.rights.contains(.write), let endpoint = Endpoint(address: cap.address) else {
                throw .invalidCapability(index: 0)
            }
            return .send(endpoint, badge: cap.badge, canGrant: cap.rights.contains(.grant),
                         canGrantReply: cap.rights.contains(.grantReply), isBlocking: invocation.isBlocking,
                         isCall: invocation.isCall)
        case .notification:
            guard cap.rights.contains(.write), let notification = Notification(address: cap.address) else {
                throw .invalidCapability(index: 0)
            }
            return .signal(notification, badge: cap.badge)
        default:
            guard cap.type == .reply, !cap.isMasterReply, let caller = Thread(address: cap.address) else {
                throw .invalidCapability(index: 0)
            }
            return .reply(to: caller, slot: slot, canGrant: cap.replyCanGrant)
        }
    }

    /// `performInvocation_Endpoint`, `_Notification` and `_Reply`.
    @inline(__always)
    func perform(_ operation: MessageOperation, by invoker: Thread) {
        switch operation {
        case .send(let endpoint, let badge, let canGrant, let canGrantReply, let isBlocking, let isCall):
            send(invoker, on: endpoint, badge: badge, canGrant: canGrant, canGrantReply: canGrantReply,
                 blocking: isBlocking, isCall: isCall)
        case .signal(let notification, let badge):
            signal(notification, badge: badge)
        case .reply(let caller, let slot, let canGrant):
            replyTransfer(from: invoker, to: caller, replySlot: slot, canGrant: canGrant)
        }
    }

    /// `decodeInvocation` (SYS-3): by the type of the invoked cap. `handleInvocation` sends
    /// endpoint, notification and reply caps to `decodeMessageInvocation` directly.
    func decodeInvocation(_ invocation: Invocation, slot: Slot, cap: Capability) throws(SyscallError) -> Operation {
        switch cap.type {
        case .null:
            throw .invalidCapability(index: 0)
        case .endpoint, .notification, .reply:
            return .message(try decodeMessageInvocation(invocation, slot: slot, cap: cap))
        case .cnode:
            return .cnode(try decodeCNodeInvocation(invocation, cap: cap))
        case .untyped:
            return .untyped(try decodeUntypedInvocation(invocation, slot: slot, cap: cap))
        case .thread:
            return .thread(try decodeThreadInvocation(invocation, slot: slot, cap: cap))
        case .domain:
            return .domain(try decodeDomainInvocation(invocation))
        case .frame:
            return .frame(try decodeFrameInvocation(invocation, slot: slot, cap: cap))
        case .pageTable:
            return .pageTable(try decodePageTableInvocation(invocation, slot: slot, cap: cap))
        case .asidPool:
            return .asidPool(try decodeASIDPoolInvocation(invocation, cap: cap))
        case .asidControl:
            return .asidControl(try decodeASIDControlInvocation(invocation))
        case .irqControl, .ioPortControl:
            // No interrupt controller or I/O ports are modelled: every label is refused.
            throw .illegalOperation
        }
    }

    /// `performInvocation_*`: carries out a decoded operation for `invoker`, which is in
    /// Restart. Cannot fail.
    func perform(_ operation: Operation, by invoker: Thread) -> InvocationResult {
        switch operation {
        case .message(let message):
            perform(message, by: invoker)
            return .empty
        case .cnode(let cnode): return perform(cnode, by: invoker)
        case .untyped(let untyped): return perform(untyped)
        case .thread(let thread): return perform(thread)
        case .domain(let domain): return perform(domain)
        case .frame(let frame): return perform(frame)
        case .pageTable(let pageTable): return perform(pageTable)
        case .asidPool(let pool): return perform(pool)
        case .asidControl(let control): return perform(control)
        }
    }

    /// Writes an operation's result as the invoker's reply (label 0, `seL4_NoError`).
    func replySuccess(_ thread: Thread, _ result: InvocationResult) {
        switch result {
        case .empty:
            replySuccessEmpty(thread)
        case .word(let word):
            var words = MessageWords()
            words.append(word)
            replySuccess(thread, words)
        case .registers(let target, let count):
            // Words beyond the message registers go to the buffer, if the caller has one.
            let buffer = ipcBuffer(of: thread, forReceiving: true)
            var i = 0
            while i < count {
                let value = target[register: RegisterFile.userContextRegister(i)]
                if i < Constants.fastMessageRegisters {
                    thread.setMessageRegister(i, value)
                } else if let buffer {
                    buffer[i + 1] = value
                } else {
                    break
                }
                i += 1
            }
            thread[register: RegisterFile.badgeRegister] = 0
            thread[register: RegisterFile.msgInfoRegister] = MessageInfo(label: 0, length: Word(i)).rawValue
        }
    }
}

extension Capability {
    /// An endpoint, notification or reply cap: invoking one is IPC, not an object operation.
    var isMessageCap: Bool { type == .endpoint || type == .notification || type == .reply }
}
