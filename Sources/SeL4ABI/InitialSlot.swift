/// seL4's initial cap slots (`seL4_RootCNodeCapSlots`: `seL4_CapNull` ... `seL4_CapDomain`,
/// `seL4_NumInitialCaps`).
public enum InitialSlot {
    @inlinable public static var null: Int { 0 }
    @inlinable public static var thread: Int { 1 }
    @inlinable public static var cnode: Int { 2 }
    @inlinable public static var vspace: Int { 3 }
    @inlinable public static var irqControl: Int { 4 }
    @inlinable public static var asidControl: Int { 5 }
    @inlinable public static var asidPool: Int { 6 }
    @inlinable public static var ioPortControl: Int { 7 }
    @inlinable public static var ioSpace: Int { 8 }
    @inlinable public static var bootInfoFrame: Int { 9 }
    @inlinable public static var ipcBuffer: Int { 10 }
    @inlinable public static var domain: Int { 11 }
    @inlinable public static var count: Int { 16 }
}

/// `CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS`: the length of `seL4_BootInfo.untypedList`.
@inlinable public var maxBootInfoUntypeds: Int { 230 }
