// CRC-32C by instruction or by table.
#include "store/checksum.h"

#include <array>
#include <cstring>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace weft {
namespace {

constexpr std::array<uint32_t, 256> MakeTable() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    t[i] = c;
  }
  return t;
}

constexpr auto kTable = MakeTable();

uint32_t ByTable(uint32_t crc, std::string_view b) {
  for (unsigned char c : b) crc = kTable[(crc ^ c) & 0xFF] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t ByInstruction(uint32_t crc, std::string_view b) {
  const char* p = b.data();
  size_t n = b.size();
  uint64_t c = crc;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    c = __builtin_ia32_crc32di(c, word);
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  for (; n > 0; ++p, --n) c32 = __builtin_ia32_crc32qi(c32, static_cast<unsigned char>(*p));
  return c32;
}
#endif

}  // namespace

uint32_t Crc32c(uint32_t crc, std::string_view bytes) {
  crc = ~crc;
#if defined(__x86_64__)
  // One CPUID, the first time a checksum is taken: libgcc's
  // __builtin_cpu_supports would link a constructor that probes the CPU at
  // length in every process, each CPUID a trap to the hypervisor on a
  // virtual machine (~10 us a process).
  static const bool sse42 = [] {
    unsigned a, b, c, d;
    return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_2);
  }();
  crc = sse42 ? ByInstruction(crc, bytes) : ByTable(crc, bytes);
#else
  crc = ByTable(crc, bytes);
#endif
  return ~crc;
}

}  // namespace weft
