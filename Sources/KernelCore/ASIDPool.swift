import SeL4ABI

/// ASIDs name VSpaces (seL4's RISC-V model, docs/notes/riscv-vspace-facts.md): the high bits
/// pick a pool in the kernel's ASID table, the low bits an entry of that pool, which holds the
/// VSpace root's address. A VSpace cap records its ASID; the pool is the authority that the
/// VSpace still exists, so a stale cap (its pool or entry gone) names no VSpace.
public enum ASID {
    /// `asidLowBits`: entries per pool (a pool is one 4 KiB page of words).
    public static let lowBits = 9
    /// `asidHighBits`: pools in the ASID table.
    public static let highBits = 7
    public static let poolCount = 1 << highBits
    public static let poolSize = 1 << lowBits
    /// `IT_ASID`: the initial thread's VSpace. ASID 0 is never handed out (`asidInvalid`).
    public static let initialThread: Word = 1
    /// `seL4_ASIDPoolBits`.
    public static let poolBits = 12
}

/// A decoded `seL4_RISCV_ASIDPool_Assign`.
enum ASIDPoolOperation {
    /// The page table in `vspace` becomes the root named by `asid`, an entry of the pool at
    /// `pool`.
    case assign(vspace: Slot, pool: Word, asid: Word)
}

/// A decoded `seL4_RISCV_ASIDControl_MakePool`.
enum ASIDControlOperation {
    /// The 4 KiB untyped becomes the pool for ASID-table entry `tableIndex`, its cap into
    /// `destination`.
    case makePool(untyped: Slot, destination: Slot, tableIndex: Int)
}

/// An ASID pool object: 512 words, each a VSpace root's address or 0.
typealias ASIDPool = WordPage

extension Kernel {
    /// `findVSpaceForASID`: the root a live ASID names, or nil.
    @inline(__always)
    func findVSpace(asid: Word) -> Word? {
        let high = Int(asid >> Word(ASID.lowBits)), low = Int(asid & Word(ASID.poolSize - 1))
        guard asid != 0, high < ASID.poolCount, asidTable[high] != 0 else { return nil }
        let root = ASIDPool(address: asidTable[high])[low]
        return root == 0 ? nil : root
    }

    /// `copyGlobalMappings`: the kernel's own mappings, in every VSpace.
    func copyGlobalMappings(into root: Word) {
        let global = configuration.globalPageTable
        guard global != 0 else { return }
        let source = PageTable(address: global), destination = PageTable(address: root)
        for i in 0..<PageTable.entryCount where source[i] & PTE.valid != 0 {
            destination[i] = source[i]
        }
    }

    /// `seL4_RISCV_ASIDPool_Assign(pool, vspace)` / `seL4_X86_ASIDPool_Assign`: gives an
    /// unmapped root (Sv39: any page table; x86_64: a PML4) the first free ASID of the pool,
    /// making it a VSpace root with the kernel's mappings.
    func decodeASIDPoolInvocation(_ invocation: Invocation, cap: Capability) throws(SyscallError) -> ASIDPoolOperation {
        guard pagingOperation(invocation.label) == .asidPoolAssign else { throw .illegalOperation }
        guard let vspaceSlot = invocation.extraCap(0) else { throw .truncatedMessage }
        let vspace = vspaceSlot.cap
        // `isVTableRoot` without an ASID: on x86_64 only a PML4 (level 0) can be a root.
        guard vspace.type == .pageTable, !vspace.pageTableIsMapped,
              configuration.paging != .x86_64 || vspace.pageTableLevel == 0 else { throw .invalidCapability(index: 1) }
        let high = Int(cap.asidPoolBase >> Word(ASID.lowBits))
        guard high < ASID.poolCount, asidTable[high] != 0 else {
            throw .failedLookup(isSource: false, .invalidRoot)
        }
        guard asidTable[high] == cap.address else { throw .invalidCapability(index: 0) }
        let pool = ASIDPool(address: cap.address)
        // ASID 0 is never handed out.
        var index = 0
        while index < ASID.poolSize && (cap.asidPoolBase + Word(index) == 0 || pool[index] != 0) { index += 1 }
        guard index < ASID.poolSize else { throw .deleteFirst }
        return .assign(vspace: vspaceSlot, pool: cap.address, asid: cap.asidPoolBase + Word(index))
    }

    /// `performASIDPoolInvocation`.
    func perform(_ operation: ASIDPoolOperation) -> InvocationResult {
        switch operation {
        case .assign(let vspaceSlot, let poolAddress, let asid):
            let vspace = vspaceSlot.cap
            copyGlobalMappings(into: vspace.address)
            var mapped = vspace
            mapped.pageTableIsMapped = true
            mapped.mapping = MappingData(asid: asid, address: 0)
            vspaceSlot.cap = mapped
            ASIDPool(address: poolAddress)[Int(asid & Word(ASID.poolSize - 1))] = vspace.address
        }
        return .empty
    }

    /// `seL4_RISCV_ASIDControl_MakePool(control, untyped, root, index, depth)`: turns a
    /// 4 KiB untyped with no children into an ASID pool for the next free ASID-table entry.
    func decodeASIDControlInvocation(_ invocation: Invocation) throws(SyscallError) -> ASIDControlOperation {
        guard pagingOperation(invocation.label) == .asidControlMakePool else { throw .illegalOperation }
        guard invocation.length >= 2, let untypedSlot = invocation.extraCap(0), let rootSlot = invocation.extraCap(1) else {
            throw .truncatedMessage
        }
        let index = invocation.argument(0), depth = invocation.argument(1)
        var high = 0
        while high < ASID.poolCount && asidTable[high] != 0 { high += 1 }
        guard high < ASID.poolCount else { throw .deleteFirst }
        let untyped = untypedSlot.cap
        guard untyped.type == .untyped, untyped.untypedSizeBits == ASID.poolBits, !untyped.untypedIsDevice else {
            throw .invalidCapability(index: 1)
        }
        if hasChildren(untypedSlot) { throw .revokeFirst }
        let destination = try lookupSlotForCNodeOp(isSource: false, root: rootSlot.cap, index, depth: depth).get()
        guard destination.cap.isNull else { throw .deleteFirst }
        return .makePool(untyped: untypedSlot, destination: destination, tableIndex: high)
    }

    /// `performASIDControlInvocation`.
    func perform(_ operation: ASIDControlOperation) -> InvocationResult {
        switch operation {
        case .makePool(let untypedSlot, let destination, let high):
            // The whole untyped becomes the pool: its watermark moves to the end.
            let untyped = untypedSlot.cap
            var used = untyped
            used.untypedFreeIndex = 1 << Word(ASID.poolBits)
            untypedSlot.cap = used
            UnsafeMutableRawPointer(bitPattern: UInt(untyped.address))!
                .initializeMemory(as: UInt8.self, repeating: 0, count: 1 << ASID.poolBits)
            insert(.asidPool(untyped.address, base: Word(high) << Word(ASID.lowBits)), into: destination,
                   derivedFrom: untypedSlot)
            register(untyped.address, .asidPool, sizeBits: ASID.poolBits)
            asidTable[high] = untyped.address
        }
        return .empty
    }

    /// `deleteASIDPool`: the pool's VSpaces lose their ASIDs.
    func deleteASIDPool(_ cap: Capability) {
        let high = Int(cap.asidPoolBase >> Word(ASID.lowBits))
        guard high < ASID.poolCount, asidTable[high] == cap.address else { return }
        asidTable[high] = 0
        translationsChanged()
    }

    /// `deleteASID`: a VSpace root's last cap went; its ASID names nothing any more.
    func deleteASID(_ asid: Word, root: Word) {
        let high = Int(asid >> Word(ASID.lowBits)), low = Int(asid & Word(ASID.poolSize - 1))
        guard high < ASID.poolCount, asidTable[high] != 0 else { return }
        let pool = ASIDPool(address: asidTable[high])
        guard pool[low] == root else { return }
        pool[low] = 0
        translationsChanged()
    }
}
