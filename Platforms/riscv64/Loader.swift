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

/// The root task's side of one scene: the shared root-task builder (`RootTask`, KernelCore) on
/// a fresh kernel, plus what a scene needs on top of it (address spaces, mapped frames, the
/// programs' CSpaces and threads). The loader's own mistakes stop the machine.
struct Loader {
    var task: RootTask
    var kernel: Kernel { task.kernel }
    var root: Thread { task.root }

    init(kernel: Kernel) { task = RootTask(kernel: kernel) }

    /// The reply of an invocation that must succeed.
    @discardableResult
    func checked(_ reply: InvocationReply, _ what: StaticString) -> InvocationReply {
        if reply.error != nil { panic("loader: \(what) failed with error \(reply.label)") }
        return reply
    }

    @discardableResult
    func call(_ cap: Word, _ label: Word, _ arguments: [Word], _ caps: [Word] = []) -> InvocationReply {
        let reply = task.invoke(cap, label: label, arguments, caps: caps)
        if reply.error != nil { panic("loader: invocation \(label) on slot \(cap) failed with error \(reply.label)") }
        return reply
    }

    func call(_ cap: Word, _ label: InvocationLabel, _ arguments: [Word], _ caps: [Word] = []) {
        call(cap, label.rawValue, arguments, caps)
    }

    /// One object from the first memory untyped with room.
    mutating func retype(_ type: Word, size: Word = 0) -> Word {
        switch task.make(type, size: size) {
        case .success(let slot): return slot
        case .failure(let refusal): panic("loader: retype of type \(type) failed with error \(refusal.reply.label)")
        }
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
            let reply = task.invoke(frame, label: RISCV.pageMap, [address, rights.rawValue, attributes], caps: [vspace])
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
        let cnode = retype(ObjectType.cnode, size: radix)
        let guarded: Word
        switch task.mint(cnode, data: CNodeCapData(guard: 0, guardSize: 64 - radix).rawValue) {
        case .success(let slot): guarded = slot
        case .failure(let refusal): panic("loader: minting a CNode cap failed with error \(refusal.reply.label)")
        }
        checked(task.mint(into: cnode, Word(SLOT_ENDPOINT), depth: radix, from: endpoint, rights: endpointRights, data: 0),
                "minting the endpoint")
        checked(task.copy(into: cnode, Word(SLOT_CNODE), depth: radix, from: guarded), "copying the CNode cap")
        if let faultEndpoint {
            checked(task.mint(into: cnode, Word(SLOT_FAULT_ENDPOINT), depth: radix, from: faultEndpoint,
                              rights: [.write, .grantReply], data: faultBadge), "minting the fault endpoint")
        }
        if let result {
            checked(task.copy(into: cnode, Word(SLOT_RESULT), depth: radix, from: result), "copying the result endpoint")
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
        checked(task.configure(tcb, faultHandler: Word(SLOT_FAULT_ENDPOINT), cspace: cspace, vspace: vspace,
                               bufferAddress: UserLayout.ipcBuffer, bufferFrame: buffer), "TCB_Configure")
        checked(task.setPriority(tcb, priority), "TCB_SetPriority")
        let context = RootTask.context(pc: entry, sp: UserLayout.stackTop, arguments: [UserLayout.ipcBuffer, argument])
        checked(task.writeRegisters(tcb, context), "TCB_WriteRegisters")
        if mapStack { giveCap(tcb, to: cspace, at: Word(SLOT_SELF_TCB)) }
        return tcb
    }

    /// Copies a root-CNode cap into slot `index` of a program's CNode.
    func giveCap(_ cap: Word, to cspace: Word, at index: Word) {
        checked(task.copy(into: cspace, index, from: cap), "copying a cap into a program's CNode")
    }

    func threadObject(_ slot: Word) -> Thread {
        guard let thread = task.thread(at: slot) else { panic("loader: slot \(slot) holds no TCB cap") }
        return thread
    }

    /// Resumes the threads so that they first run in the given order, then suspends the root
    /// task (`RootTask.start`).
    func start(_ threads: [Word]) { task.start(threads) }
}
