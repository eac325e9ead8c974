// swift-tools-version: 6.2
import PackageDescription

// The kernel's code (the core, and the hosted runtime whose entry runs on the kernel stack)
// built without frame pointers in release builds, as seL4 is (gcc -O2 omits them on x86_64 and
// riscv64): SwiftPM's default -fno-omit-frame-pointer costs every kernel function that keeps a
// frame three instructions (7 per hosted fastpath round trip, 53 per 10-word slowpath one). Nothing in SwiftL4 walks frame pointers (a
// crash report names the function from the faulting PC with the symbol table); debug builds
// keep them for debuggers.
// (The setting goes to clang's code generation options, which Swift's IRGen follows, after the
// driver's -fno-omit-frame-pointer, which a driver-level -fomit-frame-pointer would not undo.)
let kernelFramePointers = SwiftSetting.unsafeFlags(["-Xcc", "-Xclang", "-Xcc", "-mframe-pointer=none"], .when(configuration: .release))

let package = Package(
    name: "SwiftL4",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SeL4ABI", targets: ["SeL4ABI"]),
        .library(name: "KernelCore", targets: ["KernelCore"]),
        .library(name: "HostedRuntime", targets: ["HostedRuntime"]),
        .library(name: "SeL4", targets: ["SeL4"]),
        .library(name: "KernelTestSupport", targets: ["KernelTestSupport"]),
        .library(name: "SwiftL4Bench", targets: ["SwiftL4Bench"]),
        .library(name: "KernelFuzz", targets: ["KernelFuzz"]),
        .executable(name: "swiftl4", targets: ["swiftl4"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The ABI's value types and numbers (words, message tags, rights, errors, syscall
        // numbers, invocation labels, object types, fault layouts, constants) and their seL4
        // names: the one statement of them that the kernel core and the user side share.
        // Embedded Swift like the core (ABITests checks it against sel4.h).
        .target(
            name: "SeL4ABI",
            swiftSettings: [
                .treatWarning("EmbeddedRestrictions", as: .error),
            ]
        ),
        // The kernel core: seL4's objects, CSpace, IPC and scheduler. Depends only on SeL4ABI
        // (and re-exports it) and stays inside the Embedded Swift subset (the warning group
        // below turns any use of a feature Embedded Swift lacks into a build error on the host
        // too).
        .target(
            name: "KernelCore",
            dependencies: ["SeL4ABI"],
            swiftSettings: [
                .treatWarning("EmbeddedRestrictions", as: .error),
                kernelFramePointers,
            ]
        ),
        // The libsel4-compatible C header users compile against.
        .target(name: "CSeL4"),
        // Stack switching for hosted user threads (x86_64 and aarch64 assembly).
        .target(name: "CContextSwitch"),
        // The user API for Swift programs: seL4's C names plus Swift-shaped wrappers.
        .target(name: "SeL4", dependencies: ["CSeL4", "SeL4ABI"]),
        .target(
            name: "HostedRuntime",
            dependencies: ["KernelCore", "CSeL4", "CContextSwitch", "SeL4"],
            swiftSettings: [kernelFramePointers]
        ),
        // Host baselines (context-switch floor, OS-thread ping-pong) for `swiftl4 bench`.
        .target(name: "CBench", dependencies: ["CContextSwitch"]),
        .target(name: "SwiftL4Bench", dependencies: ["HostedRuntime", "SeL4", "CBench", "KernelCore", "KernelTestSupport"]),
        // The IPC tutorial written in Swift against the SeL4 module.
        .target(
            name: "SwiftIPCTutorial",
            dependencies: ["SeL4", "HostedRuntime"],
            path: "Examples/ipc-tutorial/Swift"
        ),
        // What `swiftl4 qemu boot` accepts: a root server ELF, or seL4's elfloader image with
        // the root server in its CPIO archive.
        .target(name: "BootImage"),
        .executableTarget(
            name: "swiftl4",
            dependencies: [
                "HostedRuntime",
                "KernelCore",
                "BootImage",
                "SwiftIPCTutorial",
                "SwiftL4Bench",
                "KernelFuzz",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [
                // User programs are loaded as shared objects that resolve seL4_* and the
                // runtime entry points against this executable.
                .linkedLibrary("dl", .when(platforms: [.linux])),
                .unsafeFlags(["-Xlinker", "--export-dynamic"], .when(platforms: [.linux])),
            ]
        ),
        // The deterministic, single-stepping test platform.
        .target(name: "KernelTestSupport", dependencies: ["KernelCore"]),
        // The syscall fuzzer (`swiftl4 fuzz`): random system calls and invocations on the test
        // platform, checked against the invariants and a reference model after every one.
        .target(name: "KernelFuzz", dependencies: ["KernelCore", "KernelTestSupport"]),
        // Every number and name in SeL4ABI against sel4/sel4.h, for x86_64, aarch64 and riscv64.
        .testTarget(name: "ABITests", dependencies: ["SeL4ABI", "CSeL4", "KernelCore"]),
        .testTarget(name: "BootImageTests", dependencies: ["BootImage"]),
        .testTarget(name: "KernelCoreTests", dependencies: ["KernelCore", "KernelTestSupport", "KernelFuzz"]),
        // Runs C programs through the built `swiftl4` executable (each in its own process).
        .testTarget(name: "HostedRuntimeTests", dependencies: ["HostedRuntime", "swiftl4", "SwiftL4Bench"],
                    exclude: ["Programs", "Systems", "Golden"]),
    ]
)
