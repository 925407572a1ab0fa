// CRC-32C with the processor's instruction: eight bytes per instruction instead of eight table
// lookups. Every block chunk, index section and WAL record is checksummed with CRC-32C, so on
// the query path it was ~8 % of the CPU time of a range query over days of blocks.

#include "CRC32CHardware.h"

#include <string.h>

#if defined(__x86_64__)

#include <nmmintrin.h>
#define SM_CRC_TARGET __attribute__((target("sse4.2")))
#define SM_CRC_U64(crc, word) ((uint32_t)_mm_crc32_u64((crc), (word)))
#define SM_CRC_U8(crc, byte) _mm_crc32_u8((crc), (byte))

static int detect(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

#elif defined(__aarch64__) && defined(__linux__)

#include <arm_acle.h>
#include <asm/hwcap.h>
#include <sys/auxv.h>
#define SM_CRC_TARGET __attribute__((target("crc")))
#define SM_CRC_U64(crc, word) __crc32cd((crc), (word))
#define SM_CRC_U8(crc, byte) __crc32cb((crc), (byte))

static int detect(void) { return (getauxval(AT_HWCAP) & HWCAP_CRC32) ? 1 : 0; }

#endif

#ifdef SM_CRC_TARGET

int sm_crc32c_hardware_available(void) {
    static int available = -1;
    if (available < 0) available = detect();
    return available;
}

SM_CRC_TARGET
uint32_t sm_crc32c_hardware_update(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    uint32_t c = ~crc;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = SM_CRC_U64(c, word);
        p += 8;
        count -= 8;
    }
    while (count > 0) {
        c = SM_CRC_U8(c, *p);
        p += 1;
        count -= 1;
    }
    return ~c;
}

#else

int sm_crc32c_hardware_available(void) { return 0; }

uint32_t sm_crc32c_hardware_update(uint32_t crc, const void *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return crc;
}

#endif
