// file_create and file_content_read (docs/semantics.md#files): one value per
// (project, digest) in the files sub-database.
#include "base/ids.h"
#include "core/digest.h"
#include "core/fields.h"
#include "core/methods.h"
#include "store/keys.h"

namespace weft {

Result<Json> FileCreate(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string name = f.Str("name");
  const Json& content = f.Any("content");
  std::optional<std::string> expected = f.OptStr("expected_digest");
  std::string bytes;
  if (content.is_binary())
    bytes.assign(content.get_binary().begin(), content.get_binary().end());
  else if (content.is_string())
    bytes = content.get<std::string>();
  else if (f.ok())
    f.Fail("content", "expected bytes (a string, or --content-file)");
  WEFT_TRY(f.Finish());
  std::string digest = BytesDigest(bytes);
  WEFT_TRY(CheckExpectedDigest(expected, digest, "expected_digest", "file '" + name + "'"));
  WEFT_TRY(ctx.store->Write(
      [&](Txn& txn) { return txn.Put(Db::kFiles, keys::Digest(project, digest), bytes); }));
  return Json{{"digest", digest}};
}

Result<Json> FileContentRead(const Json& req, Context& ctx) {
  Fields f(req, "", &ctx.warnings);
  std::string project = f.ProjectId();
  std::string digest = f.Str("digest");
  WEFT_TRY(f.Finish());
  std::optional<Json::binary_t> content;
  WEFT_TRY(ctx.store->Read([&](Txn& txn) -> Status {
    WEFT_ASSIGN(auto bytes, txn.Get(Db::kFiles, keys::Digest(project, digest)));
    if (bytes) content = Json::binary_t(std::vector<uint8_t>(bytes->begin(), bytes->end()));
    return Status::OK();
  }));
  if (!content) return NotFound("File " + digest + " not found");
  return Json{{"content", Json::binary(std::move(*content))}};
}

}  // namespace weft
