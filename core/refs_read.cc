// refs_read_batch (docs/semantics.md#refs): resolves object and op refs with their
// extra paths, following table refs by row id and nested object refs.
#include "core/refs_read.h"

#include <algorithm>
#include <charconv>

#include "core/api/refs.h"
#include "core/fields.h"
#include "core/methods.h"
#include "core/objects.h"
#include "core/query.h"
#include "core/tables.h"

namespace weft {
namespace {

constexpr size_t kMaxRefs = 1000;
constexpr int kMaxHops = 64;  // nested refs followed for one ref ("latest" can loop)

}  // namespace

Result<Json> ResolveRef(Txn& txn, const Ref& root) {
  WEFT_ASSIGN(auto obj, FindObject(txn, root.project_id, root.name, root.version));
  if (!obj || obj->deleted_at)
    return Json(nullptr);  // a deleted version reads as null, as in Weave
  Json cur = std::move(obj->val);
  std::vector<std::pair<std::string, std::string>> path = root.extra;
  int hops = 0;
  for (size_t i = 0; i < path.size(); ++i) {
    const auto& [edge, value] = path[i];
    if (cur.is_string() && cur.get_ref<const std::string&>().starts_with(kRefScheme)) {
      auto nested = ParseRef(cur.get<std::string>());
      if (!nested.ok() || nested->project_id != root.project_id) return Json(nullptr);
      if (nested->kind == "table") {
        if (edge != "id")
          return Invalid("ref '" + FormatRef(root) + "': a table must be followed by id/ROW");
        WEFT_ASSIGN(auto rows, LoadTable(txn, nested->project_id, nested->name));
        if (!rows || std::find(rows->begin(), rows->end(), value) == rows->end())
          return Json(nullptr);
        WEFT_ASSIGN(auto row, LoadRow(txn, nested->project_id, value));
        if (!row) return Json(nullptr);
        cur = std::move(*row);
        continue;
      }
      if (nested->kind == "object" || nested->kind == "op") {
        // Follow the nested ref, then its own path, then the rest of ours.
        if (++hops > kMaxHops) return Invalid("ref '" + FormatRef(root) + "': refs nest too deep");
        WEFT_ASSIGN(auto inner, FindObject(txn, nested->project_id, nested->name, nested->version));
        if (!inner || inner->deleted_at) return Json(nullptr);
        cur = std::move(inner->val);
        auto rest = nested->extra;
        rest.insert(rest.end(), path.begin() + i, path.end());
        path = std::move(rest);
        i = static_cast<size_t>(-1);
        continue;
      }
      return Json(nullptr);
    }
    if ((edge == "key" || edge == "attr") && cur.is_object()) {
      auto it = cur.find(value);
      if (it == cur.end()) return Json(nullptr);
      cur = Json(*it);
    } else if (edge == "index" && cur.is_array()) {
      int64_t n = static_cast<int64_t>(cur.size()), k = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), k);
      if (ec != std::errc() || end != value.data() + value.size())
        return Json(nullptr);  // beyond any list
      if (k < 0) k += n;
      if (k < 0 || k >= n) return Json(nullptr);
      cur = Json(cur[k]);
    } else {
      return Json(nullptr);
    }
  }
  return cur;
}

Result<Json> RefsReadBatch(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::vector<std::string> uris = f.StrList("refs");
  WEFT_TRY(f.Finish());
  if (uris.size() > kMaxRefs)
    return Invalid("refs: too many refs (" + std::to_string(uris.size()) + ", at most 1000)");
  std::vector<Ref> refs;
  for (size_t i = 0; i < uris.size(); ++i) {
    WEFT_ASSIGN(Ref ref, ParseRef(uris[i]));
    if (ref.kind != "object" && ref.kind != "op")
      return Invalid("refs." + std::to_string(i) + ": " + ref.kind + " refs cannot be read: '" +
                     uris[i] + "'");
    refs.push_back(std::move(ref));
  }
  Json vals = Json::array();
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    for (const Ref& ref : refs) {
      WEFT_ASSIGN(Json v, ResolveRef(txn, ref));
      vals.push_back(std::move(v));
    }
    return Status::OK();
  }));
  return Json{{"vals", vals}};
}

Status RefExpander::Expand(Json& root, const std::vector<std::string>& path, size_t from) {
  // FollowPath reads; the node it finds is inside root, which is ours to change.
  Json* at = const_cast<Json*>(FollowPath(root, path, from));
  if (!at) return Status::OK();
  if (!at->is_string()) return Status::OK();
  auto ref = ParseRef(at->get<std::string>());
  if (!ref.ok() || ref->kind != "object" || ref->project_id != project_) return Status::OK();
  auto [it, fresh] = resolved_.try_emplace(at->get<std::string>());
  if (fresh) {
    WEFT_ASSIGN(it->second, ResolveRef(txn_, *ref));
  }
  if (it->second.is_null()) return Status::OK();
  Json val = it->second;
  if (val.is_object() && !val.contains("_ref")) val["_ref"] = *at;
  *at = std::move(val);
  return Status::OK();
}

}  // namespace weft
