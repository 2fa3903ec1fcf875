// obj_create, obj_read, objs_query and the op_* methods over the objects and
// obj_versions sub-databases.
#include "core/objects.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/ids.h"
#include "core/digest.h"
#include "core/fields.h"
#include "core/methods.h"
#include "core/query_request.h"
#include "core/records/records.h"
#include "store/keys.h"

namespace weft {
namespace {

constexpr const char* kKinds[] = {"object", "op"};
// The number of versions of (project, kind, object_id): one past the last.
Result<uint32_t> VersionCount(Txn& txn, const std::string& project, const std::string& kind,
                              const std::string& object_id) {
  std::string prefix = keys::ObjVersionsPrefix(project, kind, object_id);
  uint32_t count = 0;
  WEFT_TRY(txn.ForEach(
      Db::kObjVersions, prefix,
      [&](std::string_view key, std::string_view) {
        count = keys::DecodeObjVersion(key, prefix.size()) + 1;
        return false;  // the last version is enough
      },
      /*reverse=*/true));
  return count;
}

// The index of the newest version of (project, kind, object_id) that is not
// deleted, or nullopt when every version is: what "latest" and is_latest
// name (docs/semantics.md#objects-and-ops).
Result<std::optional<uint32_t>> LatestLive(Txn& txn, const std::string& project,
                                           const std::string& kind, const std::string& object_id) {
  std::string prefix = keys::ObjVersionsPrefix(project, kind, object_id);
  std::optional<uint32_t> latest;
  Status failed;
  WEFT_TRY(txn.ForEach(
      Db::kObjVersions, prefix,
      [&](std::string_view key, std::string_view digest) -> Result<bool> {
        std::string object_key = keys::Object(project, kind, object_id, digest);
        WEFT_ASSIGN(auto value, txn.Get(Db::kObjects, object_key));
        if (!value) return true;
        WEFT_ASSIGN(ObjectVersion v, DecodeObjectMetadata(object_key, *value));
        if (v.deleted_at) return true;
        latest = keys::DecodeObjVersion(key, prefix.size());
        return false;
      },
      /*reverse=*/true));
  return latest;
}

Result<std::optional<ObjectVersion>> LoadVersion(Txn& txn, const std::string& project,
                                                 const std::string& kind,
                                                 const std::string& object_id,
                                                 const std::string& digest, bool with_value) {
  std::string key = keys::Object(project, kind, object_id, digest);
  WEFT_ASSIGN(auto value, txn.Get(Db::kObjects, key));
  if (!value) return std::optional<ObjectVersion>();
  WEFT_ASSIGN(ObjectVersion v,
              with_value ? DecodeObjectRecord(key, *value) : DecodeObjectMetadata(key, *value));
  WEFT_ASSIGN(auto latest, LatestLive(txn, project, kind, object_id));
  v.is_latest = latest == v.version_index;
  return std::optional<ObjectVersion>(std::move(v));
}

// "vN" → N, N read as Python's int() reads it (surrounding blanks, a sign,
// digits with single underscores between them: "v007", "v+1", "v1_0");
// anything else, or a number no version can have, → nullopt.
std::optional<uint32_t> VersionNumber(std::string_view s) {
  if (!s.starts_with('v')) return std::nullopt;
  s.remove_prefix(1);
  auto blank = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  bool negative = !s.empty() && s.front() == '-';
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  if (s.empty() || s.front() == '_' || s.back() == '_') return std::nullopt;
  uint64_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && s[i + 1] != '_') continue;
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    n = std::min<uint64_t>(n * 10 + (s[i] - '0'), uint64_t{1} << 33);
  }
  if (negative && n != 0) return std::nullopt;
  if (n > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(n);
}

Result<std::optional<ObjectVersion>> FindOfKind(Txn& txn, const std::string& project,
                                                const std::string& object_id,
                                                const std::string& version, const std::string& kind,
                                                bool with_value) {
  std::optional<uint32_t> index = VersionNumber(version);
  if (version == "latest") {
    WEFT_ASSIGN(index, LatestLive(txn, project, kind, object_id));
    if (!index) return std::optional<ObjectVersion>();
  }
  if (!index) return LoadVersion(txn, project, kind, object_id, version, with_value);
  WEFT_ASSIGN(auto digest,
              txn.Get(Db::kObjVersions, keys::ObjVersion(project, kind, object_id, *index)));
  if (!digest) return std::optional<ObjectVersion>();
  return LoadVersion(txn, project, kind, object_id, std::string(*digest), with_value);
}

// The model shared by obj_create and op_create.
struct Insert {
  std::string project, object_id;
  const Json* val;  // in the request: values may be 100 MB, so never copied
  std::optional<std::string> expected_digest;  // the client's, checked against ours
};

Result<Insert> ReadInsert(const Json& req, const char* field, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  Fields obj = f.Sub(field);
  Insert in;
  in.project = obj.ProjectId();
  in.object_id = obj.Str("object_id");
  in.val = &obj.Any("val");
  in.expected_digest = obj.OptStr("expected_digest");
  // Weave builds the value of a builtin class server-side; weft keeps what it is sent.
  obj.Accept({"builtin_object_class", "set_base_object_class", "wb_user_id"});
  WEFT_TRY(obj.Finish());
  WEFT_TRY(f.Finish());
  WEFT_TRY(CheckObjectId(in.object_id, obj.PathOf("object_id")));
  return in;
}

// obj_create takes the kind its value says; op_create always makes an op.
Result<Json> Create(const Json& req, Context& ctx, const char* field, bool op) {
  WEFT_ASSIGN(Insert in, ReadInsert(req, field, ctx));
  std::string kind = op ? "op" : KindOf(*in.val);
  WEFT_TRY(CheckExpectedDigest(in.expected_digest, ValueDigest(*in.val),
                               std::string(field) + ".expected_digest",
                               "obj '" + in.object_id + "'"));
  std::string digest;
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_ASSIGN(digest, PutObject(txn, in.project, kind, in.object_id, *in.val));
    return Status::OK();
  }));
  return Json{{"digest", digest}, {"object_id", in.object_id}};
}

}  // namespace

Result<std::string> ImportObject(const Json& obj, Context& ctx, const std::string& where) {
  Fields f(obj, where, &ctx.warnings,
           Extra::kIgnore);  // an ObjSchema: a newer server's has more fields
  std::string project = f.ProjectId();
  std::string object_id = f.Str("object_id");
  std::string kind = f.Str("kind");
  Micros created_at = f.Time("created_at");
  const Json& val = f.Any("val");
  f.Accept({"digest", "version_index", "is_latest", "base_object_class", "leaf_object_class",
            "deleted_at", "wb_user_id", "size_bytes"});
  WEFT_TRY(f.Finish());
  WEFT_TRY(CheckObjectId(object_id, f.PathOf("object_id")));
  if (kind != "object" && kind != "op")
    return Invalid(f.PathOf("kind") + ": expected 'object' or 'op', got '" + kind + "'");
  std::string digest;
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    WEFT_ASSIGN(digest, PutObject(txn, project, kind, object_id, val, created_at));
    return Status::OK();
  }));
  return digest;
}

namespace {

Result<Json> Read(const Json& req, Context& ctx, const char* name_field, KindWanted kind,
                  const char* out_field) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string object_id = f.Str(name_field);
  std::string digest = f.Str("digest");
  bool metadata_only =
      kind == KindWanted::kEither && f.OptBool("metadata_only").value_or(false);  // obj_read only
  WEFT_TRY(f.Finish());
  std::optional<ObjectVersion> found;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    WEFT_ASSIGN(found, FindObject(txn, project, object_id, digest, kind, !metadata_only));
    return Status::OK();
  }));
  if (!found) return NotFound("Obj " + object_id + ":" + digest + " not found");
  if (found->deleted_at) {
    Error deleted = NotFound(object_id + ":v" + std::to_string(found->version_index) +
                             " was deleted at " + FormatTime(*found->deleted_at));
    deleted.deleted_at = FormatTime(*found->deleted_at);
    return deleted;
  }
  if (metadata_only) found->val = Json::object();
  return Json{{out_field, ObjectSchema(std::move(*found))}};
}

struct VersionFilter {
  std::optional<std::vector<std::string>> object_ids, base_classes, exclude_base_classes,
      leaf_classes;
  std::optional<bool> is_op;
  bool latest_only = false;
};

// Every version in the project that passes the filter (without values,
// which read as {}, unless with_values), ordered by
// created_at, then object_id, then version.
Result<std::vector<ObjectVersion>> ListVersions(Context& ctx, const std::string& project,
                                                const VersionFilter& filter, bool with_values) {
  std::vector<ObjectVersion> out;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    out.clear();
    auto add = [&](std::string_view key, std::string_view value) -> Result<bool> {
      WEFT_ASSIGN(ObjectVersion v,
                  with_values ? DecodeObjectRecord(key, value) : DecodeObjectMetadata(key, value));
      out.push_back(std::move(v));
      return true;
    };
    for (const char* kind : kKinds)
      if (!filter.is_op || *filter.is_op == (std::string(kind) == "op"))
        WEFT_TRY(txn.ForEach(Db::kObjects, keys::ObjectsOfKindPrefix(project, kind), add));
    return Status::OK();
  }));
  std::map<std::pair<std::string, std::string>, uint32_t> top;  // (kind, object_id) -> last version
  for (const auto& v : out) {
    if (v.deleted_at) continue;
    uint32_t& t = top[{v.kind, v.object_id}];
    t = std::max(t, v.version_index);
  }
  for (auto& v : out) v.is_latest = !v.deleted_at && v.version_index == top[{v.kind, v.object_id}];
  std::erase_if(out, [&](const ObjectVersion& v) {
    auto text = [](const Json& j) {
      return j.is_string() ? std::optional(j.get<std::string>()) : std::nullopt;
    };
    auto base = text(v.base_object_class);
    bool excluded = filter.exclude_base_classes && !filter.exclude_base_classes->empty() && base &&
                    Listed(filter.exclude_base_classes, *base);
    return v.deleted_at || !Listed(filter.object_ids, v.object_id) ||
           !Listed(filter.base_classes, base) || excluded ||
           !Listed(filter.leaf_classes, text(v.leaf_object_class)) ||
           (filter.latest_only && !v.is_latest);
  });
  std::sort(out.begin(), out.end(), [](const ObjectVersion& a, const ObjectVersion& b) {
    return std::tie(a.created_at, a.object_id, a.version_index) <
           std::tie(b.created_at, b.object_id, b.version_index);
  });
  return out;
}

// Later Weave's sort_by for object queries: object_id and created_at only
// (other fields are ignored, as Weave does).
void SortVersions(const std::vector<SortItem>& sort_by, std::vector<ObjectVersion>& versions) {
  for (auto it = sort_by.rbegin(); it != sort_by.rend();
       ++it) {  // last key first, stable: the first key wins
    const SortItem& item = *it;
    if (item.field != "object_id" && item.field != "created_at") continue;
    std::stable_sort(versions.begin(), versions.end(),
                     [&](const ObjectVersion& a, const ObjectVersion& b) {
                       const ObjectVersion& x = item.descending ? b : a;
                       const ObjectVersion& y = item.descending ? a : b;
                       return item.field == "object_id" ? x.object_id < y.object_id
                                                        : x.created_at < y.created_at;
                     });
  }
}

// The answer of objs_query and ops_query: the selected versions under `key`,
// with later Weave's sort_by, offset, limit and metadata_only.
Result<Json> Listing(Context& ctx, Fields& f, Fields& filter, const std::string& project,
                     const VersionFilter& vf, const char* key) {
  auto sort_by = ReadSortBy(f);
  Paging paging = ReadPaging(f);
  bool metadata_only = f.OptBool("metadata_only").value_or(false);
  bool with_size = f.OptBool("include_storage_size").value_or(false);
  WEFT_TRY(filter.Finish());
  WEFT_TRY(f.Finish());
  WEFT_ASSIGN(auto versions, ListVersions(ctx, project, vf, !metadata_only));
  if (sort_by) SortVersions(*sort_by, versions);
  Json list = Json::array();
  auto [first, count] = paging.Slice(versions.size());
  for (size_t i = first; i < first + count; ++i) {
    if (metadata_only) versions[i].val = Json::object();
    size_t bytes = versions[i].val_bytes;
    list.push_back(ObjectSchema(std::move(versions[i])));
    if (with_size) list.back()["size_bytes"] = bytes;
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

ObjectClasses ClassesOf(const Json& val) {
  if (!val.is_object() || !val.contains("_bases") || !val["_bases"].is_array()) return {};
  const Json& bases = val["_bases"];
  size_t n = bases.size();
  if (n < 2 || bases[n - 1] != "BaseModel" ||
      (bases[n - 2] != "Object" && bases[n - 2] != "BaseObject"))
    return {};
  auto it = val.find("_class_name");
  Json leaf = it != val.end() && it->is_string() ? *it : Json(nullptr);
  if (n > 2) return {bases[n - 3].is_string() ? bases[n - 3] : Json(nullptr), leaf};
  return {leaf, leaf};
}

Result<std::string> PutObject(Txn& txn, const std::string& project, const std::string& kind,
                              const std::string& object_id, const Json& val, Micros created_at) {
  std::string digest = ValueDigest(val);
  std::string key = keys::Object(project, kind, object_id, digest);
  WEFT_ASSIGN(auto existing, txn.Get(Db::kObjects, key));
  ObjectVersion v;
  if (existing) {
    WEFT_ASSIGN(v, DecodeObjectRecord(key, *existing));
    if (!v.deleted_at) return digest;
    // Created again: live, and the newest version, as Weave's new row is.
    WEFT_TRY(
        txn.Del(Db::kObjVersions, keys::ObjVersion(project, kind, object_id, v.version_index)));
    v.deleted_at.reset();
  }
  v.created_at = created_at ? created_at : NowMicros();
  WEFT_ASSIGN(v.version_index, VersionCount(txn, project, kind, object_id));
  ObjectClasses classes = ClassesOf(val);
  v.base_object_class = std::move(classes.base);
  v.leaf_object_class = std::move(classes.leaf);
  WEFT_TRY(txn.Put(Db::kObjects, key, EncodeObjectRecord(v, val)));
  WEFT_TRY(txn.Put(Db::kObjVersions, keys::ObjVersion(project, kind, object_id, v.version_index),
                   digest));
  return digest;
}

std::optional<KindWanted> KindNamed(std::string_view kind) {
  if (kind == "object") return KindWanted::kObject;
  if (kind == "op") return KindWanted::kOp;
  return std::nullopt;
}

Result<std::optional<ObjectVersion>> FindObject(Txn& txn, const std::string& project,
                                                const std::string& object_id,
                                                const std::string& version, KindWanted kind,
                                                bool with_value) {
  for (const char* k : kKinds) {
    if (kind != KindWanted::kEither && KindNamed(k) != kind) continue;
    WEFT_ASSIGN(auto found, FindOfKind(txn, project, object_id, version, k, with_value));
    if (found) return found;
  }
  return std::optional<ObjectVersion>();
}

Json ObjectSchema(ObjectVersion v) {
  Json out = Json{{"project_id", v.project_id},
                  {"object_id", v.object_id},
                  {"created_at", FormatTime(v.created_at)},
                  {"deleted_at", nullptr},
                  {"digest", v.digest},
                  {"version_index", v.version_index},
                  {"is_latest", v.is_latest ? 1 : 0},
                  {"kind", v.kind},
                  {"base_object_class", v.base_object_class},
                  {"leaf_object_class", v.leaf_object_class}};
  out["val"] = std::move(v.val);  // values may be 100 MB: moved, never copied
  return out;
}

Result<Json> ObjCreate(const Json& req, Context& ctx) { return Create(req, ctx, "obj", false); }
Result<Json> OpCreate(const Json& req, Context& ctx) { return Create(req, ctx, "op_obj", true); }
Result<Json> ObjRead(const Json& req, Context& ctx) {
  return Read(req, ctx, "object_id", KindWanted::kEither, "obj");
}
Result<Json> OpRead(const Json& req, Context& ctx) {
  return Read(req, ctx, "name", KindWanted::kOp, "op_obj");
}

// objs_query and ops_query: the same listing; ops_query sees only ops and
// names them in filter.op_names.
Result<Json> QueryVersions(const Json& req, Context& ctx, bool ops_only) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  Fields filter = f.Sub("filter", false,
                        ops_only ? Extra::kIgnore : Extra::kForbid);  // OpVersionFilter ignores
  VersionFilter vf;
  vf.object_ids = filter.OptStrList(ops_only ? "op_names" : "object_ids");
  if (!ops_only) {
    vf.base_classes = filter.OptStrList("base_object_classes");
    vf.exclude_base_classes = filter.OptStrList("exclude_base_object_classes");
    vf.leaf_classes = filter.OptStrList("leaf_object_classes");
  }
  vf.is_op = ops_only ? std::optional(true) : filter.OptBool("is_op");
  vf.latest_only = filter.OptBool("latest_only").value_or(false);
  return Listing(ctx, f, filter, project, vf, ops_only ? "op_objs" : "objs");
}

Result<Json> ObjsQuery(const Json& req, Context& ctx) { return QueryVersions(req, ctx, false); }

namespace {

using Doomed =
    std::map<std::string, std::pair<std::string, ObjectVersion>>;  // digest -> key, version

// Of the aliases in wanted ("latest", "vN"), the digest each names among the
// live versions of one kind: digest -> alias.
Result<std::map<std::string, std::string>> AliasDigests(Txn& txn, const std::string& project,
                                                        const std::string& object_id,
                                                        const std::set<std::string>& wanted,
                                                        const char* kind) {
  std::map<std::string, std::string> digest_of;
  for (const std::string& w : wanted) {
    if (w != "latest" && !VersionNumber(w)) continue;
    WEFT_ASSIGN(auto v, FindOfKind(txn, project, object_id, w, kind, false));
    if (v && !v->deleted_at) digest_of[v->digest] = w;
  }
  return digest_of;
}

// The live versions of object_id a delete names (every one when wanted is
// empty); matched collects the digests and aliases of wanted that were found.
Result<Doomed> VersionsToDelete(Txn& txn, const std::string& project, const std::string& object_id,
                                const std::set<std::string>& wanted,
                                std::set<std::string>& matched) {
  Doomed found;
  for (const char* kind : kKinds) {
    WEFT_ASSIGN(auto digest_of, AliasDigests(txn, project, object_id, wanted, kind));
    auto take = [&](std::string_view key, std::string_view value) -> Result<bool> {
      auto parts = keys::DecodeObject(key);
      if (!parts) return true;
      auto alias = digest_of.find(parts->digest);
      bool named = wanted.count(parts->digest) > 0;
      if (!wanted.empty() && !named && alias == digest_of.end()) return true;
      WEFT_ASSIGN(ObjectVersion v, DecodeObjectRecord(key, value));
      if (v.deleted_at) return true;
      if (named) matched.insert(parts->digest);
      if (alias != digest_of.end()) matched.insert(alias->second);
      found[parts->digest] = {std::string(key), std::move(v)};
      return true;
    };
    WEFT_TRY(txn.ForEach(Db::kObjects, keys::ObjectPrefix(project, kind, object_id), take));
  }
  return found;
}

}  // namespace

Result<Json> ObjDelete(const Json& req, Context& ctx) {
  constexpr size_t kMaxDigests = 100;
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string object_id = f.Str("object_id");
  auto digests = f.OptStrList("digests");
  WEFT_TRY(f.Finish());
  if (digests && digests->size() > kMaxDigests)
    return Invalid("digests: please delete 100 or fewer objects at a time (got " +
                   std::to_string(digests->size()) + ")");
  // The digests asked for, aliases ("latest", "vN") as they were given.
  std::set<std::string> wanted;
  if (digests) wanted.insert(digests->begin(), digests->end());
  Json deleted_versions = Json::array();
  Micros now = NowMicros();
  WEFT_TRY(ctx.store->Write([&](Txn& txn) -> Status {
    deleted_versions = Json::array();
    std::set<std::string> matched;
    WEFT_ASSIGN(Doomed found, VersionsToDelete(txn, project, object_id, wanted, matched));
    if (found.empty()) return NotFound("Object " + object_id + " not found when deleting");
    if (matched.size() != wanted.size()) {
      std::string diff;
      for (const std::string& w : wanted)
        if (!matched.count(w)) diff += (diff.empty() ? "'" : ", '") + w + "'";
      return NotFound("Delete request contains " + std::to_string(wanted.size()) +
                      " digests, but found " + std::to_string(found.size()) +
                      " objects to delete. Diff digests: {" + diff + "}");
    }
    for (auto& [digest, entry] : found) {
      ObjectVersion& v = entry.second;
      v.deleted_at = now;
      WEFT_TRY(txn.Put(Db::kObjects, entry.first, EncodeObjectRecord(v, v.val)));
      deleted_versions.push_back({{"digest", digest},
                                  {"base_object_class", v.base_object_class},
                                  {"leaf_object_class", v.leaf_object_class}});
    }
    return Status::OK();
  }));
  return Json{{"num_deleted", deleted_versions.size()},
              {"deleted_versions", std::move(deleted_versions)}};
}

Result<Json> OpsQuery(const Json& req, Context& ctx) { return QueryVersions(req, ctx, true); }

}  // namespace weft
