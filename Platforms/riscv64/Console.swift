// The console (SBI putchar), number formatting without Foundation or floating point, and the
// kernel panic.

import KernelCore

/// The kernel panic: says why on the console, then stops the machine with status 1 (QEMU
/// exits 1). Swift's own runtime traps print nothing under optimisation; they arrive as a
/// supervisor-mode trap and are reported by `kernelTrap`.
func panic(_ message: String) -> Never {
    print("SwiftL4 panic: \(message)")
    shutdown(1)
    while true {}
}

final class Console: KernelObserver {
    func debugPutChar(_ character: UInt8) { _ = putchar(Int32(character)) }
    func kernelEvent(_ event: KernelEvent) {}
}

func hex(_ value: Word) -> String {
    let digits: StaticString = "0123456789abcdef"
    var text = ""
    var v = value
    repeat {
        text = String(UnicodeScalar(digits.utf8Start[Int(v & 15)])) + text
        v >>= 4
    } while v != 0
    return "0x" + text
}

/// `value / divisor` with two decimals (no floating point in the kernel image).
func decimal(_ value: Word, over divisor: Word) -> String {
    guard divisor != 0 else { return "?" }
    let hundredths = (value * 100 + divisor / 2) / divisor
    let fraction = hundredths % 100
    return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
}
