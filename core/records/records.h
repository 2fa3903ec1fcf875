// The values of the store's records, encoded and decoded in one place beside
// the document that describes them (core/records/FORMAT.md): calls, call
// roll-ups, object versions, tables and feedback. Keys are store/keys.h's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "core/calls/call_record.h"
#include "core/calls/call_rollups.h"
#include "core/objects.h"

namespace weft {

// Calls (FORMAT.md#calls), binary. ------------------------------------------

// An encoded record read in place, without copying: the views point into
// the bytes given to ViewCall. Scans use it to skip calls cheaply.
struct CallView {
  uint64_t presence = 0;
  std::string_view text[CallField::kCount] = {};  // texts, JSON texts, joined refs
  int64_t number[CallField::kCount] = {};         // times and integers

  // Whether field is set: its presence bit, or true for a field always there.
  bool Has(int field) const {
    return kCallFields[field].bit < 0 || (presence >> kCallFields[field].bit & 1);
  }
  bool deleted() const { return Has(CallField::deleted_at); }
  bool visible() const { return Has(CallField::started_at) && !deleted(); }
};

std::string EncodeCall(const CallRecord& c);
Result<CallView> ViewCall(std::string_view bytes);
Result<CallRecord> DecodeCall(std::string_view bytes);

// Call roll-ups (FORMAT.md#call-roll-ups), binary. ----------------------

std::string EncodeRollup(const CallRollup& r);
Result<CallRollup> DecodeRollup(std::string_view bytes);

// Object versions (FORMAT.md#objects), JSON with the value in place. ------

// The record of a version whose value is val (written from val without
// copying it into a tree of its own: values may be 100 MB).
std::string EncodeObjectRecord(const ObjectVersion& v, const Json& val);
// The version a record holds (its key gives project, kind, name, digest).
Result<ObjectVersion> DecodeObjectRecord(std::string_view key, std::string_view value);
// The same but its value, which is never decoded (val reads as {}).
Result<ObjectVersion> DecodeObjectMetadata(std::string_view key, std::string_view value);

// Tables (FORMAT.md#tables): row digests, concatenated. -----------------

inline constexpr size_t kRowDigestLength = 43;
std::string EncodeTable(const std::vector<std::string>& row_digests);
std::vector<std::string> DecodeTable(std::string_view value);

// Feedback (FORMAT.md#feedback): the row as compact JSON. ---------------

std::string EncodeFeedback(const Json& row);
Result<Json> DecodeFeedback(std::string_view value);

}  // namespace weft
