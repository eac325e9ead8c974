/* The page the producer and the consumers share (the system file's memory_region "buffer"):
 * one line of text for each consumer. */
#include <stdint.h>

struct shared_page {
    char line[2][64];
};

/* The region's address in this program (the system file's setvar_vaddr). */
extern uintptr_t buffer;
