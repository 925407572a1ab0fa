// Wraps glibc's allocator entry points: the test executable's definitions take precedence over
// libc's for every library in the process (ELF symbol interposition). Each wrapper forwards to
// glibc's own implementation and, on a thread that is counting, adds one to its count.
#include "AllocationCounter.h"
#include <stddef.h>
#include <errno.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

static __thread int counting;
static __thread uint64_t count;

void sm_allocations_start(void) {
    count = 0;
    counting = 1;
}

uint64_t sm_allocations_stop(void) {
    counting = 0;
    return count;
}

static inline void counted(void) {
    if (counting) count++;
}

void *malloc(size_t size) {
    counted();
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) {
    counted();
    return __libc_calloc(n, size);
}

void *realloc(void *pointer, size_t size) {
    counted();
    return __libc_realloc(pointer, size);
}

void free(void *pointer) { __libc_free(pointer); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    counted();
    void *p = __libc_memalign(alignment, size);
    if (p == NULL && size != 0) return ENOMEM;
    *out = p;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size) {
    counted();
    return __libc_memalign(alignment, size);
}

void *memalign(size_t alignment, size_t size) {
    counted();
    return __libc_memalign(alignment, size);
}
