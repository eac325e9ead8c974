#pragma once
#include <stddef.h>
size_t strcspn(const char *s, const char *reject);
/* memory.c */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
