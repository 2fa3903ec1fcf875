// CRC-32C (Castagnoli), the checksum every stored record carries
// (store/FORMAT.md): the SSE4.2 instruction where the processor has it,
// a table otherwise.
#pragma once

#include <cstdint>
#include <string_view>

namespace weft {

uint32_t Crc32c(uint32_t crc, std::string_view bytes);

}  // namespace weft
