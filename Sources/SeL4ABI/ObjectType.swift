/// seL4's object-type numbers (`seL4_ObjectType`, `api_object_t`, then the mode and arch
/// types, as libsel4 numbers them). The architecture numbers of all three architectures are
/// defined everywhere (so that ABITests can check each against the header compiled for it);
/// `smallPage` and `count` are the building architecture's.
public enum ObjectType {
    /// `seL4_UntypedObject` ... `seL4_CapTableObject`.
    @inlinable public static var untyped: Word { 0 }
    @inlinable public static var thread: Word { 1 }
    @inlinable public static var endpoint: Word { 2 }
    @inlinable public static var notification: Word { 3 }
    @inlinable public static var cnode: Word { 4 }
    /// `seL4_NonArchObjectTypeCount`.
    @inlinable public static var nonArchCount: Word { 5 }

    /// x86_64 (`CONFIG_HUGE_PAGE`, no IOMMU/VT-x).
    public enum X86_64 {
        /// `seL4_X86_PDPTObject`.
        @inlinable public static var pdpt: Word { 5 }
        /// `seL4_X64_PML4Object`.
        @inlinable public static var pml4: Word { 6 }
        /// `seL4_X64_HugePageObject`.
        @inlinable public static var hugePage: Word { 7 }
        /// `seL4_X86_4K`.
        @inlinable public static var smallPage: Word { 8 }
        /// `seL4_X86_LargePageObject`.
        @inlinable public static var largePage: Word { 9 }
        /// `seL4_X86_PageTableObject`.
        @inlinable public static var pageTable: Word { 10 }
        /// `seL4_X86_PageDirectoryObject`.
        @inlinable public static var pageDirectory: Word { 11 }
        /// `seL4_ObjectTypeCount`.
        @inlinable public static var count: Word { 12 }
    }

    /// aarch64 (no hypervisor/SMMU).
    public enum AArch64 {
        /// `seL4_ARM_HugePageObject`.
        @inlinable public static var hugePage: Word { 5 }
        /// `seL4_ARM_VSpaceObject`.
        @inlinable public static var vspace: Word { 6 }
        /// `seL4_ARM_SmallPageObject`.
        @inlinable public static var smallPage: Word { 7 }
        /// `seL4_ARM_LargePageObject`.
        @inlinable public static var largePage: Word { 8 }
        /// `seL4_ARM_PageTableObject`.
        @inlinable public static var pageTable: Word { 9 }
        /// `seL4_ObjectTypeCount`.
        @inlinable public static var count: Word { 10 }
    }

    /// riscv64 (Sv39: three levels, so no tera pages).
    public enum RISCV64 {
        /// `seL4_RISCV_Giga_Page`.
        @inlinable public static var gigaPage: Word { 5 }
        /// `seL4_RISCV_4K_Page`.
        @inlinable public static var smallPage: Word { 6 }
        /// `seL4_RISCV_Mega_Page`.
        @inlinable public static var megaPage: Word { 7 }
        /// `seL4_RISCV_PageTableObject`.
        @inlinable public static var pageTable: Word { 8 }
        /// `seL4_ObjectTypeCount`.
        @inlinable public static var count: Word { 9 }
    }

    #if arch(x86_64)
    @inlinable public static var smallPage: Word { X86_64.smallPage }
    @inlinable public static var count: Word { X86_64.count }
    #elseif arch(arm64)
    @inlinable public static var smallPage: Word { AArch64.smallPage }
    @inlinable public static var count: Word { AArch64.count }
    #else
    @inlinable public static var smallPage: Word { RISCV64.smallPage }
    @inlinable public static var count: Word { RISCV64.count }
    #endif
}
