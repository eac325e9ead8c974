import Foundation
import KernelCore

/// Compiles seL4 C programs against SwiftL4's `sel4/sel4.h` and loads them into this process.
public enum ProgramLoader {
    /// Why a program could not be built or loaded.
    public enum LoadError: Error, CustomStringConvertible {
        case clangMissing
        case compileFailed(status: Int32)
        case loadFailed(String)
        case noMain
        case missingSource(String)

        public var description: String {
            switch self {
            case .clangMissing:
                "clang was not found. It ships with the Swift toolchain (swift.org/install); on Debian or Ubuntu `apt-get install clang` also works. Set CC to use another compiler."
            case .compileFailed(let status): "the program did not compile (clang exited with status \(status))"
            case .loadFailed(let message): "the program could not be loaded: \(message)"
            case .noMain: "the program has no `main` function"
            case .missingSource(let path): "no such source file: \(path)"
            }
        }
    }

    /// The directory holding `sel4/sel4.h`: `SWIFTL4_INCLUDE`, else the source tree this
    /// runtime was built from.
    public static var includeDirectory: String {
        if let override = ProcessInfo.processInfo.environment["SWIFTL4_INCLUDE"] { return override }
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CSeL4/include").path
    }

    /// The C compiler: `CC`, else clang from PATH.
    static func compiler() -> String? {
        if let cc = ProcessInfo.processInfo.environment["CC"], !cc.isEmpty { return cc }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/clang"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Compiles `sources` into a shared object; clang's messages go to this process's stderr.
    public static func compile(_ sources: [String], output: String, extraFlags: [String] = []) throws -> String {
        for source in sources where !FileManager.default.fileExists(atPath: source) {
            throw LoadError.missingSource(source)
        }
        guard let cc = compiler() else { throw LoadError.clangMissing }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cc)
        process.arguments = ["-shared", "-fPIC", "-g", "-O1", "-std=gnu11", "-I", includeDirectory,
                             "-o", output] + extraFlags + sources
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LoadError.compileFailed(status: process.terminationStatus) }
        return output
    }

    /// Loads a shared object privately (its globals are its own) and returns its `main`.
    public static func loadMain(from path: String) throws -> UnsafeRawPointer {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw LoadError.loadFailed(String(cString: dlerror()))
        }
        guard let main = dlsym(handle, "main") else { throw LoadError.noMain }
        return UnsafeRawPointer(main)
    }

    /// A fresh temporary directory for build products.
    public static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "swiftl4-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

extension HostedSystem {
    /// The report printed when a run ends in deadlock: each thread, its state and what it
    /// waits on.
    public func deadlockReport() -> String {
        let header = systemLoader == nil ? "swiftl4: deadlock: no thread can run and the root task's main has not returned"
            : "swiftl4: deadlock: no thread can run, and some wait for what nothing left can send"
        var lines = [header]
        func object(_ kind: String, _ address: Word) -> String {
            let hex = "0x\(String(address, radix: 16))"
            return objectNames[address].map { "\(kind) '\($0)' (\(hex))" } ?? "\(kind) \(hex)"
        }
        kernel.forEachThread { thread in
            if thread == systemLoader { return }
            let state: String
            switch thread.state {
            case .inactive, .running, .restart, .idle: state = "\(thread.state.name)"
            case .blockedOnReceive: state = "blocked receiving on " + object("endpoint", thread.blockingObject)
            case .blockedOnSend: state = "blocked sending on " + object("endpoint", thread.blockingObject)
            case .blockedOnReply: state = "blocked waiting for a reply"
            case .blockedOnNotification: state = "blocked waiting on " + object("notification", thread.blockingObject)
            }
            lines.append("  thread '\(threadName(thread))' (priority \(thread.priority)): \(state)")
        }
        return lines.joined(separator: "\n")
    }
}
