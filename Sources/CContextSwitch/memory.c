#define _GNU_SOURCE
#include "ccontextswitch.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

int swl4_memory_file(size_t bytes)
{
    int file = memfd_create("swiftl4-memory", MFD_CLOEXEC);
    if (file < 0) {
        return -1;
    }
    if (ftruncate(file, (off_t)bytes) != 0) {
        int saved = errno;
        close(file);
        errno = saved;
        return -1;
    }
    return file;
}

void *swl4_map_file(void *at, size_t bytes, int writable, int file, size_t offset, int replace)
{
    int prot = PROT_READ | (writable ? PROT_WRITE : 0);
    int flags = MAP_SHARED | MAP_NORESERVE | (replace ? MAP_FIXED : MAP_FIXED_NOREPLACE);
    void *result = mmap(at, bytes, prot, flags, file, (off_t)offset);
    if (result == MAP_FAILED) {
        return NULL;
    }
    if (result != at) {
        munmap(result, bytes);
        errno = EEXIST;
        return NULL;
    }
    return result;
}
