// CRC-32C with the processor's own instruction (SSE 4.2 on x86-64, the CRC extension on arm64).

#ifndef SUGARMILL_CRC32C_HARDWARE_H
#define SUGARMILL_CRC32C_HARDWARE_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this processor has a CRC-32C instruction, else 0 (then `sm_crc32c_hardware_update`
/// must not be called). Checked once.
int sm_crc32c_hardware_available(void);

/// Continues the CRC-32C `crc` (0 to start) over `count` bytes at `bytes`: the same value as the
/// table-driven code in ChunkEncoding's CRC32C.
uint32_t sm_crc32c_hardware_update(uint32_t crc, const void *bytes, size_t count);

#endif
