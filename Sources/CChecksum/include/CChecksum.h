// CRC-32C with the CPU's crc32 instruction (SSE 4.2 on x86-64), for the Store's record
// and snapshot checksums; Swift has no way to name the instruction itself.
#ifndef CCHECKSUM_H
#define CCHECKSUM_H
#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the crc32 instruction (checked once with cpuid), else 0.
int cchecksum_crc32c_available(void);

/// The CRC-32C register after feeding `count` bytes at `bytes` into `crc` (the register,
/// already inverted by the caller: no pre- or post-inversion here). Call only when
/// `cchecksum_crc32c_available()` returned 1.
uint32_t cchecksum_crc32c_update(uint32_t crc, const void *bytes, size_t count);
#endif
