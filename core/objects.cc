// obj_create, obj_read, objs_query and the op_* methods over the objects and
// obj_versions sub-databases.
#include "core/objects.h"

#include <algorithm>
#include <map>

#include "core/digest.h"
#include "core/fields.h"
#include "core/ids.h"
#include "core/methods.h"
#include "store/keys.h"

namespace weft {
namespace {

constexpr const char* kKinds[] = {"object", "op"};

Json EncodeRecord(Micros created_at, uint32_t version, const Json& boc, const Json& val) {
  return Json{{"created_at", created_at}, {"version_index", version},
              {"base_object_class", boc}, {"val", val}};
}

Result<ObjectVersion> DecodeRecord(std::string_view key, std::string_view value) {
  // key: project \0 kind \0 object_id \0 digest
  ObjectVersion v;
  std::string* parts[] = {&v.project_id, &v.kind, &v.object_id, &v.digest};
  size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    size_t end = i < 3 ? key.find('\0', start) : key.size();
    if (end == std::string_view::npos) return StoreError("corrupt object key");
    *parts[i] = std::string(key.substr(start, end - start));
    start = end + 1;
  }
  WEFT_ASSIGN(Json rec, ParseJson(value, "stored object"));
  v.created_at = rec["created_at"].get<Micros>();
  v.version_index = rec["version_index"].get<uint32_t>();
  v.base_object_class = rec["base_object_class"];
  v.val = std::move(rec["val"]);
  return v;
}

// The number of versions of (project, kind, object_id): one past the last.
Result<uint32_t> VersionCount(Txn& txn, const std::string& project, const std::string& kind,
                              const std::string& object_id) {
  WEFT_ASSIGN(Cursor c, txn.Open(Db::kObjVersions));
  std::string prefix = Key(project).Add(kind).Add(object_id).Prefix();
  if (!c.SeekLast(prefix)) return 0u;
  return static_cast<uint32_t>(DecodeBE(c.key().substr(prefix.size()))) + 1;
}

Result<std::optional<ObjectVersion>> LoadVersion(Txn& txn, const std::string& project,
                                                 const std::string& kind,
                                                 const std::string& object_id,
                                                 const std::string& digest) {
  Key key = Key(project).Add(kind).Add(object_id).Add(digest);
  WEFT_ASSIGN(auto value, txn.Get(Db::kObjects, key));
  if (!value) return std::optional<ObjectVersion>();
  WEFT_ASSIGN(ObjectVersion v, DecodeRecord(key, *value));
  WEFT_ASSIGN(uint32_t count, VersionCount(txn, project, kind, object_id));
  v.is_latest = v.version_index + 1 == count;
  return std::optional<ObjectVersion>(std::move(v));
}

// "vN" → N; anything else → nullopt.
std::optional<uint32_t> VersionNumber(const std::string& s) {
  if (s.size() < 2 || s[0] != 'v' || s.size() > 10) return std::nullopt;
  uint32_t n = 0;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    n = n * 10 + (s[i] - '0');
  }
  return n;
}

Result<std::optional<ObjectVersion>> FindOfKind(Txn& txn, const std::string& project,
                                                const std::string& object_id,
                                                const std::string& version,
                                                const std::string& kind) {
  std::optional<uint32_t> index = VersionNumber(version);
  if (version == "latest") {
    WEFT_ASSIGN(uint32_t count, VersionCount(txn, project, kind, object_id));
    if (count == 0) return std::optional<ObjectVersion>();
    index = count - 1;
  }
  if (!index) return LoadVersion(txn, project, kind, object_id, version);
  Key key = Key(project).Add(kind).Add(object_id).AddU32(*index);
  WEFT_ASSIGN(auto digest, txn.Get(Db::kObjVersions, key));
  if (!digest) return std::optional<ObjectVersion>();
  return LoadVersion(txn, project, kind, object_id, std::string(*digest));
}

// Checks the fields shared by obj_create and op_create; returns the model.
Status ReadInsert(const Json& req, const char* field, Context& ctx, std::string& project,
                  std::string& object_id, Json& val) {
  Fields f(req, "", &ctx.warnings);
  Fields obj = f.Sub(field);
  project = obj.ProjectId();
  object_id = obj.Str("object_id");
  val = obj.Any("val");
  WEFT_TRY(obj.Finish());
  WEFT_TRY(f.Finish());
  return CheckObjectId(object_id, obj.PathOf("object_id"));
}

Result<Json> Create(const Json& req, Context& ctx, const char* field, const char* forced_kind) {
  std::string project, object_id;
  Json val;
  WEFT_TRY(ReadInsert(req, field, ctx, project, object_id, val));
  std::string kind = forced_kind ? forced_kind : KindOf(val);
  std::string digest;
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_ASSIGN(digest, PutObject(txn, project, kind, object_id, val));
    return Status::OK();
  }));
  return Json{{"digest", digest}};
}

Result<Json> Read(const Json& req, Context& ctx, const char* name_field, const char* kind,
                  const char* out_field) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string object_id = f.Str(name_field);
  std::string digest = f.Str("digest");
  WEFT_TRY(f.Finish());
  std::optional<ObjectVersion> found;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    WEFT_ASSIGN(found, FindObject(txn, project, object_id, digest, kind));
    return Status::OK();
  }));
  if (!found) return NotFound("Obj " + object_id + ":" + digest + " not found");
  return Json{{out_field, ObjectSchema(*found)}};
}

struct VersionFilter {
  std::optional<std::vector<std::string>> object_ids, base_classes;
  std::optional<bool> is_op;
  bool latest_only = false;
};

// Every version in the project that passes the filter, ordered by
// created_at, then object_id, then version.
Result<std::vector<ObjectVersion>> Query(Context& ctx, const std::string& project,
                                         const VersionFilter& filter) {
  std::vector<ObjectVersion> out;
  auto listed = [](const std::optional<std::vector<std::string>>& list, const std::string& s) {
    return !list || list->empty() || std::find(list->begin(), list->end(), s) != list->end();
  };
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    out.clear();
    for (const char* kind : kKinds) {
      if (filter.is_op && *filter.is_op != (std::string(kind) == "op")) continue;
      WEFT_ASSIGN(Cursor c, txn.Open(Db::kObjects));
      std::string prefix = Key(project).Add(kind).Prefix();
      for (bool more = c.Seek(prefix); more && c.key().starts_with(prefix); more = c.Next()) {
        WEFT_ASSIGN(ObjectVersion v, DecodeRecord(c.key(), c.value()));
        out.push_back(std::move(v));
      }
    }
    return Status::OK();
  }));
  std::map<std::pair<std::string, std::string>, uint32_t> top;  // (kind, object_id) -> last version
  for (const auto& v : out) {
    uint32_t& t = top[{v.kind, v.object_id}];
    t = std::max(t, v.version_index);
  }
  for (auto& v : out) v.is_latest = v.version_index == top[{v.kind, v.object_id}];
  std::erase_if(out, [&](const ObjectVersion& v) {
    std::string boc = v.base_object_class.is_string() ? v.base_object_class.get<std::string>() : "";
    bool boc_ok = !filter.base_classes || filter.base_classes->empty() ||
                  (v.base_object_class.is_string() && listed(filter.base_classes, boc));
    return !listed(filter.object_ids, v.object_id) || !boc_ok ||
           (filter.latest_only && !v.is_latest);
  });
  std::sort(out.begin(), out.end(), [](const ObjectVersion& a, const ObjectVersion& b) {
    return std::tie(a.created_at, a.object_id, a.version_index) <
           std::tie(b.created_at, b.object_id, b.version_index);
  });
  return out;
}

// Later Weave's sort_by for object queries: object_id and created_at only
// (other fields are ignored, as Weave does), asc or desc.
Status SortVersions(const Json& sort_by, std::vector<ObjectVersion>& versions) {
  if (!sort_by.is_array()) return Invalid("sort_by: expected a list");
  for (size_t i = sort_by.size(); i-- > 0;) {  // last key first, stable: the first key wins
    const Json& s = sort_by[i];
    std::string at = "sort_by." + std::to_string(i);
    if (!s.is_object() || !s.contains("field") || !s["field"].is_string()) return Invalid(at + ".field: field required");
    std::string dir = s.value("direction", Json("asc")).is_string() ? s.value("direction", "asc") : "";
    if (dir != "asc" && dir != "desc") return Invalid(at + ".direction: expected 'asc' or 'desc'");
    std::string field = s["field"];
    if (field != "object_id" && field != "created_at") continue;
    std::stable_sort(versions.begin(), versions.end(), [&](const ObjectVersion& a, const ObjectVersion& b) {
      bool less = field == "object_id" ? a.object_id < b.object_id : a.created_at < b.created_at;
      bool greater = field == "object_id" ? b.object_id < a.object_id : b.created_at < a.created_at;
      return dir == "asc" ? less : greater;
    });
  }
  return Status::OK();
}

// The answer of objs_query and ops_query: the selected versions under `key`,
// with later Weave's sort_by, offset, limit and metadata_only.
Result<Json> Listing(Context& ctx, Fields& f, Fields& filter, const std::string& project,
                     const VersionFilter& vf, const char* key) {
  const Json* sort_by = f.OptAny("sort_by");
  auto limit = f.OptInt("limit"), offset = f.OptInt("offset");
  bool metadata_only = f.OptBool("metadata_only").value_or(false);
  if (limit && *limit < 0) f.Fail("limit", "must be non-negative");
  if (offset && *offset < 0) f.Fail("offset", "must be non-negative");
  WEFT_TRY(filter.Finish());
  WEFT_TRY(f.Finish());
  WEFT_ASSIGN(auto versions, Query(ctx, project, vf));
  if (sort_by) WEFT_TRY(SortVersions(*sort_by, versions));
  Json list = Json::array();
  size_t first = static_cast<size_t>(offset.value_or(0));
  for (size_t i = first; i < versions.size() && i - first < static_cast<size_t>(limit.value_or(INT64_MAX)); ++i) {
    if (metadata_only) versions[i].val = Json::object();
    list.push_back(ObjectSchema(versions[i]));
  }
  return Json{{key, list}};
}

}  // namespace

std::string KindOf(const Json& val) {
  if (!val.is_object() || !val.contains("_type")) return "object";
  const Json* type = &val["_type"];
  if (val.contains("weave_type")) {
    const Json& wt = val["weave_type"];
    type = wt.is_object() && wt.contains("type") ? &wt["type"] : nullptr;
  }
  return type && type->is_string() && *type == "Op" ? "op" : "object";
}

Json BaseObjectClass(const Json& val) {
  if (!val.is_object() || !val.contains("_bases") || !val["_bases"].is_array()) return nullptr;
  const Json& bases = val["_bases"];
  size_t n = bases.size();
  if (n < 2 || bases[n - 1] != "BaseModel" || (bases[n - 2] != "Object" && bases[n - 2] != "BaseObject"))
    return nullptr;
  if (n > 2) return bases[n - 3].is_string() ? bases[n - 3] : Json(nullptr);
  auto it = val.find("_class_name");
  return it != val.end() && it->is_string() ? *it : Json(nullptr);
}

Result<std::string> PutObject(Txn& txn, const std::string& project, const std::string& kind,
                              const std::string& object_id, const Json& val) {
  std::string digest = ValueDigest(val);
  Key key = Key(project).Add(kind).Add(object_id).Add(digest);
  WEFT_ASSIGN(auto existing, txn.Get(Db::kObjects, key));
  if (existing) return digest;
  WEFT_ASSIGN(uint32_t version, VersionCount(txn, project, kind, object_id));
  Json rec = EncodeRecord(NowMicros(), version, BaseObjectClass(val), val);
  WEFT_TRY(txn.Put(Db::kObjects, key, CompactDumps(rec)));
  WEFT_TRY(txn.Put(Db::kObjVersions, Key(project).Add(kind).Add(object_id).AddU32(version), digest));
  return digest;
}

Result<std::optional<ObjectVersion>> FindObject(Txn& txn, const std::string& project,
                                                const std::string& object_id,
                                                const std::string& version,
                                                const std::string& kind) {
  for (const char* k : kKinds) {
    if (!kind.empty() && kind != k) continue;
    WEFT_ASSIGN(auto found, FindOfKind(txn, project, object_id, version, k));
    if (found) return found;
  }
  return std::optional<ObjectVersion>();
}

Json ObjectSchema(const ObjectVersion& v) {
  return Json{{"project_id", v.project_id},
              {"object_id", v.object_id},
              {"created_at", FormatTime(v.created_at)},
              {"deleted_at", nullptr},
              {"digest", v.digest},
              {"version_index", v.version_index},
              {"is_latest", v.is_latest ? 1 : 0},
              {"kind", v.kind},
              {"base_object_class", v.base_object_class},
              {"val", v.val}};
}

Result<Json> ObjCreate(const Json& req, Context& ctx) { return Create(req, ctx, "obj", nullptr); }
Result<Json> OpCreate(const Json& req, Context& ctx) { return Create(req, ctx, "op_obj", "op"); }
Result<Json> ObjRead(const Json& req, Context& ctx) { return Read(req, ctx, "object_id", "", "obj"); }
Result<Json> OpRead(const Json& req, Context& ctx) { return Read(req, ctx, "name", "op", "op_obj"); }

Result<Json> ObjsQuery(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  Fields filter = f.Sub("filter", false);
  VersionFilter vf;
  vf.object_ids = filter.OptStrList("object_ids");
  vf.base_classes = filter.OptStrList("base_object_classes");
  vf.is_op = filter.OptBool("is_op");
  vf.latest_only = filter.OptBool("latest_only").value_or(false);
  return Listing(ctx, f, filter, project, vf, "objs");
}

Result<Json> OpsQuery(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  Fields filter = f.Sub("filter", false);
  VersionFilter vf;
  vf.object_ids = filter.OptStrList("op_names");
  vf.is_op = true;
  vf.latest_only = filter.OptBool("latest_only").value_or(false);
  return Listing(ctx, f, filter, project, vf, "op_objs");
}

}  // namespace weft
