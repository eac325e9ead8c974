// The root task's loader: how a scene builds its programs' address spaces, CSpaces and
// threads, through real invocations on a freshly booted kernel.

import CRISCVPlatform
import KernelCore

/// libsel4's riscv64 invocation labels and object types the loader uses.
enum RISCV {
    static let pageTableMap = RISCVInvocationLabel.pageTableMap
    static let pageMap = RISCVInvocationLabel.pageMap
    static let pageGetAddress = RISCVInvocationLabel.pageGetAddress
    static let asidPoolAssign = RISCVInvocationLabel.asidPoolAssign
    /// `seL4_RISCV_PageTableObject`, from sel4.h (KernelCore's `ObjectType` names no page table).
    static let pageTableObject = Word(seL4_RISCV_PageTableObject.rawValue)
    static let executeNever: Word = 1
}

/// Where the loader puts a program's stack and IPC buffer in its address space.
enum UserLayout {
    static let stackTop: Word = 0x0100_0000
    static let stackPages: Word = 4
    static let ipcBuffer: Word = 0x0200_0000
}

/// The root task's side of one scene: invocations on a fresh kernel, objects into the root
/// CNode's empty slots.
struct Loader {
    let kernel: Kernel
    let root: Thread
    var next: Word

    init(kernel: Kernel) {
        self.kernel = kernel
        root = kernel.bootInfo.rootThread!
        next = kernel.bootInfo.emptyStart
    }

    /// An invocation that must succeed (the loader's own mistakes stop the machine).
    @discardableResult
    func call(_ cap: Word, _ label: Word, _ arguments: [Word], _ caps: [Word] = []) -> InvocationReply {
        let reply = kernel.invoke(as: root, cap, label: label, arguments: arguments, extraCaps: caps)
        if reply.error != nil { panic("loader: invocation \(label) on slot \(cap) failed with error \(reply.label)") }
        return reply
    }

    func call(_ cap: Word, _ label: InvocationLabel, _ arguments: [Word], _ caps: [Word] = []) {
        call(cap, label.rawValue, arguments, caps)
    }

    /// `seL4_Untyped_Retype` of one object from the first untyped with room.
    mutating func retype(_ type: Word, size: Word = 0) -> Word {
        let facts = kernel.bootInfo
        for untyped in facts.untypedStart..<facts.untypedEnd {
            let reply = kernel.invoke(as: root, untyped, label: InvocationLabel.untypedRetype.rawValue,
                                      arguments: [type, size, 0, 0, next, 1], extraCaps: [Word(InitialSlot.cnode)])
            if reply.error == nil {
                next += 1
                return next - 1
            }
        }
        panic("loader: no untyped has room")
    }

    /// A page table given an ASID from the initial pool: a new address space, holding the
    /// kernel's global mappings.
    mutating func addressSpace() -> Word {
        let vspace = retype(RISCV.pageTableObject)
        call(Word(InitialSlot.asidPool), RISCV.asidPoolAssign, [], [vspace])
        return vspace
    }

    /// `seL4_RISCV_Page_Map`, making the page tables the walk needs on the way (a failed
    /// lookup means a table is missing at the level the reply's bits name).
    mutating func map(_ frame: Word, into vspace: Word, at address: Word, rights: CapRights, executable: Bool) {
        let attributes = executable ? 0 : RISCV.executeNever
        while true {
            let reply = kernel.invoke(as: root, frame, label: RISCV.pageMap,
                                      arguments: [address, rights.rawValue, attributes], extraCaps: [vspace])
            if reply.error == nil { return }
            guard reply.error == .failedLookup else {
                panic("loader: Page_Map at \(hex(address)) failed with error \(reply.label)")
            }
            let table = retype(RISCV.pageTableObject)
            call(table, RISCV.pageTableMap, [address, 0], [vspace])
        }
    }

    /// A new zeroed frame mapped at `address`; returns its slot and physical address.
    mutating func mapNewFrame(into vspace: Word, at address: Word, rights: CapRights, executable: Bool) -> (Word, Word) {
        let frame = retype(ObjectType.smallPage)
        map(frame, into: vspace, at: address, rights: rights, executable: executable)
        return (frame, call(frame, RISCV.pageGetAddress, []).words[0])
    }

    /// A CNode for a program (radix 8, guarded to resolve 64-bit CPtrs) with the caps of
    /// user/slots.h: `endpoint` (with `endpointRights`), itself, the fault endpoint badged
    /// `faultBadge`, the result endpoint.
    mutating func cspace(endpoint: Word, endpointRights: CapRights, faultEndpoint: Word?, faultBadge: Word,
                         result: Word?) -> Word {
        let radix: Word = 8
        let cnodeSlot = Word(InitialSlot.cnode)
        let cnode = retype(ObjectType.cnode, size: radix)
        let guarded = next
        next += 1
        call(cnodeSlot, .cnodeMint, [guarded, 64, cnode, 64, CapRights.all.rawValue,
                                     CNodeCapData(guard: 0, guardSize: 64 - radix).rawValue], [cnodeSlot])
        call(cnode, .cnodeMint, [Word(SLOT_ENDPOINT), radix, endpoint, 64, endpointRights.rawValue, 0], [cnodeSlot])
        call(cnode, .cnodeCopy, [Word(SLOT_CNODE), radix, guarded, 64, CapRights.all.rawValue], [cnodeSlot])
        if let faultEndpoint {
            call(cnode, .cnodeMint, [Word(SLOT_FAULT_ENDPOINT), radix, faultEndpoint, 64,
                                     CapRights([.write, .grantReply]).rawValue, faultBadge], [cnodeSlot])
        }
        if let result {
            call(cnode, .cnodeCopy, [Word(SLOT_RESULT), radix, result, 64, CapRights.all.rawValue], [cnodeSlot])
        }
        return guarded
    }

    /// A thread for `program` in `vspace` with CSpace `cspace`: stack and IPC buffer mapped,
    /// registers set (pc the entry, sp, a0 the IPC buffer, a1 `argument`), its own TCB cap in
    /// `SLOT_SELF_TCB`, its fault handler `SLOT_FAULT_ENDPOINT`. Not resumed. Without `mapStack` it is a second thread of
    /// an address space and CSpace already set up (the floor's partner).
    mutating func thread(in vspace: Word, entry: Word, cspace: Word, argument: Word, priority: Word,
                         mapStack: Bool = true) -> Word {
        if mapStack {
            for page in 1...UserLayout.stackPages {
                _ = mapNewFrame(into: vspace, at: UserLayout.stackTop - page * 0x1000, rights: [.read, .write],
                                executable: false)
            }
        }
        let tcb = retype(ObjectType.thread)
        // Each thread's IPC buffer is its own frame, mapped in its own address space; threads
        // sharing an address space (the floor's two) share that mapping's page.
        let (buffer, _) = mapStack
            ? mapNewFrame(into: vspace, at: UserLayout.ipcBuffer, rights: [.read, .write], executable: false)
            : (retype(ObjectType.smallPage), 0)
        call(tcb, .tcbConfigure, [Word(SLOT_FAULT_ENDPOINT), 0, 0, UserLayout.ipcBuffer], [cspace, vspace, buffer])
        call(tcb, .tcbSetPriority, [priority], [Word(InitialSlot.thread)])
        var context = [Word](repeating: 0, count: RegisterFile.userContextWords)
        context[RegisterFile.pc] = entry
        context[RegisterFile.sp] = UserLayout.stackTop
        context[RegisterFile.argumentRegister(0)] = UserLayout.ipcBuffer
        context[RegisterFile.argumentRegister(1)] = argument
        call(tcb, .tcbWriteRegisters, [0, Word(context.count)] + context)
        if mapStack { giveCap(tcb, to: cspace, at: Word(SLOT_SELF_TCB)) }
        return tcb
    }

    /// Copies a root-CNode cap into slot `index` of a program's CNode.
    func giveCap(_ cap: Word, to cspace: Word, at index: Word) {
        let cnodeSlot = Word(InitialSlot.cnode)
        call(cspace, .cnodeCopy, [index, 64, cap, 64, CapRights.all.rawValue], [cnodeSlot])
    }

    func threadObject(_ slot: Word) -> Thread {
        let cnode = root.slot(.cspace).cap
        let cap = UnsafeMutablePointer<Capability>(bitPattern: UInt(cnode.address + slot * 32))!.pointee
        return Thread(base: UnsafeMutableRawPointer(bitPattern: UInt(cap.address))!)
    }

    /// Resumes the threads so that they first run in the given order (a resumed thread goes
    /// to the head of its ready queue), then suspends the root task.
    func start(_ threads: [Word]) {
        for tcb in threads.reversed() { call(tcb, .tcbResume, []) }
        call(Word(InitialSlot.thread), .tcbSuspend, [])
    }
}
