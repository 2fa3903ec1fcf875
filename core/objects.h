// Versioned objects and ops (docs/semantics.md#objects-and-ops): storage and lookup shared by the
// obj_*/op_* methods and by ref resolution.
#pragma once

#include <optional>
#include <string>

#include "base/clock.h"
#include "base/json.h"
#include "core/api/context.h"
#include "store/txn.h"

namespace weft {

struct ObjectVersion {
  std::string project_id, kind, object_id, digest;
  Micros created_at = 0;
  uint32_t version_index = 0;
  bool is_latest = false;
  Json base_object_class;  // string or null
  Json leaf_object_class;  // string or null: the value's own class
  Json val;
  size_t val_bytes = 0;              // the stored value's size (its canonical JSON)
  std::optional<Micros> deleted_at;  // set by obj_delete
};

// "op" when the value is a dict whose (weave_type.)_type is "Op", else "object".
std::string KindOf(const Json& val);

// Weave's base_object_class and leaf_object_class rule
// (docs/semantics.md#objects-and-ops): strings, or both null.
struct ObjectClasses {
  Json base, leaf;
};
ObjectClasses ClassesOf(const Json& val);

// Stores val as a new version of (project, kind, object_id) unless that
// digest is already one of its versions; created_at 0 means now. Returns
// the digest.
Result<std::string> PutObject(Txn& txn, const std::string& project, const std::string& kind,
                              const std::string& object_id, const Json& val, Micros created_at = 0);

// An ObjSchema record (weft import, weft pull) stored as obj_create would,
// keeping its created_at; `where` prefixes the field paths in messages.
// Returns the digest, which is weft's own for the value.
Result<std::string> ImportObject(const Json& obj, Context& ctx, const std::string& where);

// Which kind of versioned object a lookup takes: Weave keeps ops apart
// from other objects, and obj_read finds either.
enum class KindWanted { kEither, kObject, kOp };

// The kind a ref or record names ("object" or "op"); nullopt for others.
std::optional<KindWanted> KindNamed(std::string_view kind);

// The version named by `version` (a digest, "latest" or "vN") of object_id,
// of the kind wanted; without with_value its val is {} and is never decoded
// (metadata_only).
Result<std::optional<ObjectVersion>> FindObject(Txn& txn, const std::string& project,
                                                const std::string& object_id,
                                                const std::string& version,
                                                KindWanted kind = KindWanted::kEither,
                                                bool with_value = true);

// The ObjSchema JSON of a version (its val moved in).
Json ObjectSchema(ObjectVersion v);

}  // namespace weft
