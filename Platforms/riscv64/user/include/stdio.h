#pragma once
int printf(const char *format, ...);
int putchar(int c);
