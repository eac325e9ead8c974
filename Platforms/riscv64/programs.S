/* The tutorial's three programs, built as separate ELF images by build.sh and carried in the
 * kernel image for the loader. */
    .section .rodata
    .balign 16
    .globl program0_start, program0_end, program1_start, program1_end, program2_start, program2_end
program0_start: .incbin PROGRAM0
program0_end:
    .balign 16
program1_start: .incbin PROGRAM1
program1_end:
    .balign 16
program2_start: .incbin PROGRAM2
program2_end:
