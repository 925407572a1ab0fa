// AllocationCounter: counts heap allocations made by the calling thread while counting is on,
// for tests that guard hot paths against allocating per sample (issue #9). Linked into the test
// bundle only: it wraps malloc and friends for the whole test process, forwarding to glibc.
#pragma once
#include <stdint.h>

/// Starts counting the calling thread's allocations from zero.
void sm_allocations_start(void);
/// Stops counting and returns how many allocations the calling thread made since the start.
uint64_t sm_allocations_stop(void);
