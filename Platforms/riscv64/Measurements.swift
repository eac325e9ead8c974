// The measurement scenes (docs/performance.md), counted in retired instructions under QEMU
// -icount, and their report.

import CRISCVPlatform
import KernelCore

/// What a scene leaves for the platform to report when it ends.
enum SceneResult {
    case none
    /// A measurement: the thread whose message registers hold the figures when it blocks.
    case measured(String, Thread, MeasurementKind = .roundTrip)
}

/// What a measurement counts: whole round trips, or each direction apart (pingpong.c's roles 2,
/// 3), or each direction apart exactly as sel4bench measures seL4 (roles 4, 5: the message in
/// registers only, the counter-read overhead subtracted).
enum MeasurementKind {
    case roundTrip
    case oneWay
    case oneWayRegistersOnly
}

extension Platform {
    func report() {
        guard case .measured(let what, let thread, let kind) = result, let kernel else { return }
        let instructions = thread.messageRegister(0), count = thread.messageRegister(1)
        let errors = thread.messageRegister(2)
        let perRoundTrip = count == 0 ? 0 : (instructions + count / 2) / count
        if errors != 0 { failures += 1 }
        if kind != .roundTrip {
            let replyRecv = thread.messageRegister(3)
            let call = instructions, mean = { (total: Word) in count == 0 ? 0 : (total + count / 2) / count }
            let how = kind == .oneWay
                ? "as sel4bench counts (rdinstret before seL4_Call in the client, after seL4_ReplyRecv returns in the server, and back)"
                : "as sel4bench measures seL4 (the same readings; the message in registers only, as its DO_CALL and DO_REPLY_RECV; the counter read's overhead of \(MessageInfo(rawValue: thread[register: RegisterFile.msgInfoRegister]).label) subtracted)"
            print("measure: one way, \(how), \(what): Call \(mean(call)) + ReplyRecv \(mean(replyRecv)) = \(mean(call) + mean(replyRecv)) instructions (mean of \(count) samples, \(errors) errors)")
            return
        }
        if floorInstructions == 0 {
            floorInstructions = perRoundTrip
            print("measure: floor, two threads swapping 4 words through two bare traps: \(perRoundTrip) instructions per round trip (\(count) round trips, \(errors) errors)")
        } else {
            let counters = kernel.pathCounters
            print("measure: Call/ReplyRecv between two address spaces, \(what): \(perRoundTrip) instructions per round trip, \(decimal(perRoundTrip, over: floorInstructions))x the floor (\(count) round trips, \(errors) errors; fastpath calls \(counters.fastpathCalls), slowpath calls \(counters.slowpathCalls))")
        }
    }

    /// The floor: two threads of floor.c in one address space, switched by the bare trap path.
    func floorScene() {
        print("measuring (instructions retired, QEMU -icount):")
        var loader = bootKernel()
        let result = loader.retype(ObjectType.endpoint)
        let space = loader.addressSpace()
        let image = loader.loadELF(.floor, into: space)
        let count: Word = 10_000
        let cspace = loader.cspace(endpoint: result, endpointRights: .all, faultEndpoint: nil, faultBadge: 0, result: result)
        let a = loader.thread(in: space, entry: image.entry, cspace: cspace, argument: count << 16, priority: 100)
        let b = loader.thread(in: space, entry: image.entry, cspace: cspace, argument: 1 | count << 16, priority: 100,
                              mapStack: false)
        let threadA = loader.threadObject(a), threadB = loader.threadObject(b)
        // B has its own stack just below A's: the loader mapped four pages for A only.
        for page in 5...8 {
            _ = loader.mapNewFrame(into: space, at: UserLayout.stackTop - Word(page) * 0x1000, rights: [.read, .write],
                                   executable: false)
        }
        threadB[register: RegisterFile.sp] = UserLayout.stackTop - 4 * 0x1000
        // Each thread names its partner's register file in its TCB's platform words (the floor's
        // trap path reaches them from the register file, trap_state.h).
        threadA.platformWords.pointee.floor_partner = Word(UInt(bitPattern: threadB.registers))
        threadB.platformWords.pointee.floor_partner = Word(UInt(bitPattern: threadA.registers))
        loader.start([a])
        self.result = .measured("floor", threadA)
        activate(threadA)
        enterFloor(UnsafeMutableRawPointer(threadA.registers))
    }

    /// Call/ReplyRecv between pingpong.c's server and client, each in its own address space.
    /// `fpu`: the kernel has the unit (FPU-1), so that every switch between the two threads,
    /// both with it enabled (seL4's default), hands the registers over; with `serverFPUDisabled`
    /// the server runs with `seL4_TCBFlag_fpuDisabled`, as in sel4bench's fastpath figure: the
    /// client keeps the unit and each switch turns it off or on.
    func roundTripScene(_ what: String, words: Word, fastpath: Bool, kind: MeasurementKind = .roundTrip,
                        fpu: Bool = false, serverFPUDisabled: Bool = false) {
        var loader = bootKernel(fastpath: fastpath)
        if fpu { loader.kernel.fpu = RISCVFPU() }
        let endpoint = loader.retype(ObjectType.endpoint)
        let result = loader.retype(ObjectType.endpoint)
        let count: Word = 10_000
        let firstRole: Word = kind == .oneWay ? 2 : kind == .oneWayRegistersOnly ? 4 : 0
        func program(_ role: Word) -> Word {
            let space = loader.addressSpace()
            let image = loader.loadELF(.pingpong, into: space)
            let cspace = loader.cspace(endpoint: endpoint, endpointRights: .all, faultEndpoint: nil, faultBadge: 0, result: result)
            return loader.thread(in: space, entry: image.entry, cspace: cspace, argument: role | words << 8 | count << 16,
                                 priority: 100)
        }
        let server = program(firstRole), client = program(firstRole + 1)
        if serverFPUDisabled { loader.call(server, .tcbSetFlags, [0, ThreadFlag.fpuDisabled]) }
        loader.start([server, client])
        self.result = .measured(what, loader.threadObject(client), kind)
        enter(loader.kernel)
    }
}
