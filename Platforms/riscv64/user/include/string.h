#pragma once
#include <stddef.h>
size_t strcspn(const char *s, const char *reject);
