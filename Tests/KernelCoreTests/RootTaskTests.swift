import Testing
@testable import KernelCore
import KernelTestSupport

/// The kernel's thread list (seL4's `ksDebugTCBs`) and the shared root-task builder.
@Suite struct RootTaskTests {
    /// A kernel booted without the debug registry (capacity 0, as the hosted runtime and bare
    /// metal run) still knows every thread, in creation order, and forgets a TCB when its
    /// last cap goes.
    @Test func threadList_seesEveryThreadWithoutTheRegistry() {
        let bytes = 4 << 20
        let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 1 << 20)
        defer { memory.deallocate() }
        var configuration = KernelConfiguration()
        configuration.maxUntypedBits = 20
        #expect(configuration.objectRegistryCapacity == 0)
        let kernel = Kernel.boot(configuration: configuration, memory: memory, bytes: bytes)
        var builder = RootTask(kernel: kernel)
        var made: [Word] = []
        for _ in 0..<40 {
            guard case .success(let slot) = builder.make(ObjectType.thread) else {
                Issue.record("retype of a TCB failed")
                return
            }
            made.append(slot)
        }
        func listed() -> [Word] {
            var addresses: [Word] = []
            kernel.forEachThread { addresses.append($0.address) }
            return addresses
        }
        let root = kernel.bootInfo.rootThread!.address
        #expect(listed() == [root] + made.map { builder.capability(at: $0).address })
        let removed = builder.capability(at: made[7]).address
        #expect(builder.invoke(RootTask.rootCNode, .cnodeDelete, [made[7], RootTask.fullDepth]).error == nil)
        #expect(!listed().contains(removed) && listed().count == 40)
        #expect(kernel.checkInvariants() == nil)
    }

    /// `make` retypes from the largest memory untyped first and hands out slots in order;
    /// a refusal that is not NotEnoughMemory is reported at once with the kernel's reply.
    @Test func make_usesLargestUntypedAndReportsRefusals() {
        let sys = TestSystem(deviceBytes: 1 << 16)
        var builder = sys.rootTask
        let untypeds = builder.memoryUntypeds
        let sizes = untypeds.map { builder.capability(at: $0).untypedSizeBits }
        #expect(sizes == sizes.sorted(by: >))
        #expect(untypeds.allSatisfy { !builder.capability(at: $0).untypedIsDevice })
        let first = builder.nextSlot
        guard case .success(let slot) = builder.make(ObjectType.endpoint) else {
            Issue.record("retype failed")
            return
        }
        #expect(slot == first && builder.nextSlot == first + 1)
        #expect(builder.capability(at: slot).type == .endpoint)
        guard case .failure(let refusal) = builder.make(99) else {
            Issue.record("object type 99 was accepted")
            return
        }
        #expect(refusal.reply.error == .invalidArgument && refusal.reply.words == [0])
        #expect(builder.nextSlot == first + 1)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// `Capability.cnodeSlot`: the one way code outside the core reaches a CNode's slot.
    @Test func cnodeSlot_isBoundedByTheRadix() {
        let sys = TestSystem(rootCNodeBits: 8)
        let cnode = sys.root.slot(.cspace).cap
        #expect(cnode.cnodeSlot(255) != nil)
        #expect(cnode.cnodeSlot(256) == nil)
        #expect(sys.capability(at: 1000).isNull)
        #expect(sys.capability(at: rootThreadSlot).type == .thread)
        #expect(Capability.null.cnodeSlot(0) == nil)
    }
}
