// Looking fields up by name (core/calls/call_fields.h holds the table).
#include "core/calls/call_fields.h"

#include <unordered_map>

namespace weft {

int FindCallField(std::string_view name) {
  static const auto* kByName = [] {
    auto* by_name = new std::unordered_map<std::string_view, int>;
    for (int i = 0; i < CallField::kCount; ++i) by_name->emplace(kCallFields[i].name, i);
    return by_name;
  }();
  auto it = kByName->find(name);
  return it == kByName->end() ? -1 : it->second;
}

}  // namespace weft
