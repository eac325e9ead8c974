import Testing
@testable import KernelCore
import KernelTestSupport

/// `Kernel.checkObjects` (issue 15, `--check-objects`): kernel objects overwritten as user code
/// sharing the kernel's address space could overwrite them are each found, named by the object
/// and the damage, without the check following the damaged link; undamaged systems pass.
@Suite struct ObjectCheckTests {
    /// A system with a receiver blocked on an endpoint, a bound notification, a child CNode and a
    /// badged copy (a CDT link): every kind of object the check reads, in use.
    struct World {
        let sys = TestSystem()
        let ep: Word, ntfn: Word, cnode: Word, badged: Word
        let receiver: Thread, other: Thread
        var endpoint: UnsafeMutablePointer<Word> { words(ep) }
        var notification: UnsafeMutablePointer<Word> { words(ntfn) }

        init() {
            ep = sys.make(ObjectType.endpoint)
            ntfn = sys.make(ObjectType.notification)
            cnode = sys.make(ObjectType.cnode, size: 4)
            badged = sys.mint(ep, badge: 7).slot
            let r = sys.spawn(priority: 100, name: "receiver")
            receiver = r.thread
            other = sys.spawn(priority: 100, name: "other").thread
            sys.invoke(r.slot, label: .tcbBindNotification, args: [], extraCaps: [ntfn])
            sys.syscall(.recv, by: receiver, cap: ep)
        }

        func words(_ slot: Word) -> UnsafeMutablePointer<Word> {
            UnsafeMutablePointer<Word>(bitPattern: UInt(sys.capability(at: slot).address))!
        }
        func threadBytes(_ thread: Thread) -> UnsafeMutablePointer<UInt8> {
            (thread.base + Thread.fieldsOffset).assumingMemoryBound(to: UInt8.self)
        }
        func slotWords(_ slot: Word) -> UnsafeMutablePointer<Word> {
            UnsafeMutablePointer<Word>(bitPattern: UInt(sys.slotAddress(slot)))!
        }

        /// Applies `damage`, expects the check to report `message` at `address`, undoes it
        /// and expects a clean check again.
        func expectFound(_ message: String, at address: Word, _ damage: () -> () -> Void,
                         sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(sys.kernel.checkObjects() == nil, "clean before", sourceLocation: sourceLocation)
            let undo = damage()
            let violation = sys.kernel.checkObjects()
            #expect(violation.map { "\($0.message)" } == message, sourceLocation: sourceLocation)
            #expect(violation?.address == address, sourceLocation: sourceLocation)
            undo()
            #expect(sys.kernel.checkObjects() == nil, "clean after", sourceLocation: sourceLocation)
        }
    }

    /// The byte offsets the raw check reads are the fields' offsets in `ThreadFields`.
    @Test func threadFieldOffsetsMatchTheLayout() {
        #expect(MemoryLayout<ThreadFields>.offset(of: \.state) == Kernel.threadStateOffset)
        let flags = Kernel.threadFlagOffsets
        #expect(MemoryLayout<ThreadFields>.offset(of: \.isInReadyQueue) == flags.0)
        #expect(MemoryLayout<ThreadFields>.offset(of: \.hasFault) == flags.1)
        #expect(MemoryLayout<ThreadFields>.offset(of: \.blockingCanGrant) == flags.2)
        #expect(MemoryLayout<ThreadFields>.offset(of: \.blockingCanGrantReply) == flags.3)
        #expect(MemoryLayout<ThreadFields>.offset(of: \.blockingIsCall) == flags.4)
    }

    @Test func undamagedSystemPasses() {
        let w = World()
        #expect(w.receiver.state == .blockedOnReceive)
        #expect(w.sys.kernel.checkObjects() == nil)
        #expect(w.sys.invariantFailures.isEmpty)
    }

    @Test func endpointDamage() {
        let w = World()
        let address = w.sys.capability(at: w.ep).address
        let e = w.endpoint
        w.expectFound("object state is none of idle, send/waiting, receive/active", at: address) {
            e[1] |= 3
            return { e[1] = (e[1] & ~3) | 2 }
        }
        w.expectFound("queue names no TCB", at: address) {
            let saved = e[0]
            e[0] = 0x1000
            return { e[0] = saved }
        }
        // A TCB-aligned tail inside a TCB that is not the TCB's start.
        w.expectFound("queue names no TCB", at: address) {
            let saved = e[1]
            e[1] = (w.receiver.address + 0x800) | 2
            return { e[1] = saved }
        }
        // A registered object of the wrong kind.
        w.expectFound("queue names no TCB", at: address) {
            let saved = e[0]
            e[0] = w.sys.capability(at: w.ntfn).address
            return { e[0] = saved }
        }
    }

    @Test func notificationDamage() {
        let w = World()
        let address = w.sys.capability(at: w.ntfn).address
        let n = w.notification
        w.expectFound("notification bound to no TCB", at: address) {
            let saved = n[0]
            n[0] = saved + 8
            return { n[0] = saved }
        }
        w.expectFound("object state is none of idle, send/waiting, receive/active", at: address) {
            n[3] |= 3
            return { n[3] &= ~3 }
        }
    }

    @Test func threadDamage() {
        let w = World()
        let bytes = w.threadBytes(w.receiver)
        w.expectFound("TCB thread state is not a thread state", at: w.receiver.address) {
            bytes[0] = 8
            return { bytes[0] = ThreadState.blockedOnReceive.rawValue }
        }
        for offset in [3, 5, 6, 7, 8] {
            w.expectFound("TCB flag is neither true nor false", at: w.receiver.address) {
                let saved = bytes[offset]
                bytes[offset] = 2
                return { bytes[offset] = saved }
            }
        }
        let fields = w.receiver.fields
        w.expectFound("TCB blocked on no endpoint", at: w.receiver.address) {
            let saved = fields.pointee.blockingObject
            fields.pointee.blockingObject = saved + 16
            return { fields.pointee.blockingObject = saved }
        }
        w.expectFound("TCB queue link names no TCB", at: w.other.address) {
            let ready = w.other.fields
            let saved = ready.pointee.scheduleNext
            ready.pointee.scheduleNext = 0xdead_0000
            return { ready.pointee.scheduleNext = saved }
        }
        w.expectFound("TCB bound to no notification", at: w.receiver.address) {
            let saved = fields.pointee.boundNotification
            fields.pointee.boundNotification = w.sys.capability(at: w.ep).address
            return { fields.pointee.boundNotification = saved }
        }
    }

    @Test func slotDamage() {
        let w = World()
        let slotAddress = w.sys.slotAddress(w.badged)
        let slot = w.slotWords(w.badged)
        w.expectFound("slot holds no valid capability type", at: slotAddress) {
            let saved = slot[0]
            slot[0] |= 0x1F << 48
            return { slot[0] = saved }
        }
        w.expectFound("derivation link names no slot", at: slotAddress) {
            let saved = slot[2]
            slot[2] = (saved & 7) | (w.sys.slotAddress(w.ep) + 8)
            return { slot[2] = saved }
        }
        w.expectFound("derivation link names no slot", at: slotAddress) {
            let saved = slot[3]
            slot[3] = w.sys.capability(at: w.ep).address
            return { slot[3] = saved }
        }
        // A CNode cap with a larger radix would let lookups index past its CNode.
        let cnodeSlot = w.slotWords(w.cnode)
        w.expectFound("CNode cap's radix or object is not a CNode's", at: w.sys.slotAddress(w.cnode)) {
            let saved = cnodeSlot[0]
            cnodeSlot[0] = saved + (1 << 57)
            return { cnodeSlot[0] = saved }
        }
    }

    /// Damage the raw check cannot see (every link names a real TCB) is still found by the
    /// semantic check, and a cycle does not hang it.
    @Test func queueCycleIsFoundAndEnds() {
        let w = World()
        let second = w.sys.spawn(priority: 100, name: "second").thread
        w.sys.syscall(.recv, by: second, cap: w.ep)
        let fields = second.fields
        w.expectFound("queue back link broken", at: w.receiver.address) {
            fields.pointee.queueNext = w.receiver.address
            return { fields.pointee.queueNext = 0 }
        }
    }

    /// The registry grows past its first capacity, so objects made after that are known.
    @Test func registryGrowsBeyondItsCapacity() {
        let sys = TestSystem(objectRegistryCapacity: 4)
        let endpoints = (0..<40).map { _ in sys.make(ObjectType.endpoint) }
        let receiver = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: receiver, cap: endpoints[39])
        #expect(receiver.state == .blockedOnReceive)
        #expect(sys.kernel.checkObjects() == nil)
        #expect(sys.invariantFailures.isEmpty)
        #expect(sys.kernel.registryCount > 40)
    }
}
