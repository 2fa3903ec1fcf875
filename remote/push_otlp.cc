// OTLP push: traces as core/otel/call_span.cc makes them, in batches of
// about 512 spans, each batch one gzip'd protobuf request; a span is
// recorded as sent (by trace and span id, with its end time) once the
// backend acknowledged it, so a second push sends only what is new or
// changed and an interrupted one resumes.
#include "remote/push_otlp.h"

#include <zlib.h>

#include <cstdlib>

#include "base/report.h"
#include "core/api/call_span.h"
#include "core/api/sync_state.h"
#include "remote/progress.h"

namespace weft::remote {
namespace {

constexpr size_t kBatchSpans = 512;

std::string Gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// "Name: value" headers from K=V pairs separated by commas (the form of
// OTEL_EXPORTER_OTLP_HEADERS, and of what weft push --header passes on).
std::vector<std::string> HeadersFrom(const char* pairs) {
  std::vector<std::string> out;
  std::string all = pairs ? pairs : "";
  for (size_t start = 0; start < all.size();) {
    size_t end = all.find(',', start);
    if (end == std::string::npos) end = all.size();
    std::string pair = all.substr(start, end - start);
    start = end + 1;
    size_t eq = pair.find('=');
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t") + 1);
      return s;
    };
    if (eq != std::string::npos && !trim(pair.substr(0, eq)).empty())
      out.push_back(trim(pair.substr(0, eq)) + ": " + trim(pair.substr(eq + 1)));
  }
  return out;
}

class OtlpPusher {
 public:
  OtlpPusher(const Job& job, Context& ctx, const ClientOptions& opts)
      : job_(job),
        ctx_(ctx),
        client_(opts),
        state_(ctx, job.project, job.url, "otlp"),
        progress_(job.dry_run ? "would push" : "pushed", true) {
    headers_ = HeadersFrom(std::getenv("OTEL_EXPORTER_OTLP_HEADERS"));
    for (std::string& h : HeadersFrom(std::getenv("WEFT_OTLP_HEADERS")))
      headers_.push_back(std::move(h));
  }

  Status Run() {
    Status walked = ExportOtlp(ctx_, job_.project, job_.since, [&](const OtelRequest& trace) {
      status_ = Add(trace);
      return status_.ok();
    });
    if (walked.ok() && status_.ok()) status_ = Flush();
    return progress_.Finish(walked.ok() ? status_ : walked);
  }

 private:
  static std::string Item(const OtelSpan& s) { return "span/" + s.trace_id + "/" + s.span_id; }

  // Queues the spans of one trace that were not sent as they are now.
  Status Add(const OtelRequest& trace) {
    std::vector<std::string> items;
    for (const auto& rs : trace)
      for (const auto& s : rs.spans) items.push_back(Item(s));
    WEFT_ASSIGN(auto sent, state_.Get(items));
    size_t i = 0, fresh = 0;
    for (const auto& rs : trace) {
      OtelResourceSpans kept{rs.resource, rs.resource_dropped, {}};
      for (const auto& s : rs.spans)
        if (sent[i++] != std::to_string(s.end_ns)) kept.spans.push_back(s), ++fresh;
      if (!kept.spans.empty()) batch_.push_back(std::move(kept));
    }
    spans_ += fresh;
    if (fresh) ++progress_.tally().traces;
    return spans_ >= kBatchSpans ? Flush() : Status::OK();
  }

  Status Flush() {
    if (batch_.empty()) return Status::OK();
    std::string body = Gzip(OtlpProto(batch_));
    if (!job_.dry_run) {
      std::vector<std::string> headers = headers_;
      headers.push_back("Content-Encoding: gzip");
      WEFT_ASSIGN(std::string reply, client_.PostRaw(body, "application/x-protobuf", headers));
      auto answer =
          DecodeOtlpResponseProto(reply);  // a JSON or empty reply is taken as acknowledged
      if (answer.ok() && answer->first > 0) {
        progress_.tally().rejected += static_cast<size_t>(answer->first);
        Warn(job_.url + " rejected " + std::to_string(answer->first) + " spans: " + answer->second);
      }
      std::vector<std::pair<std::string, std::optional<std::string>>> items;
      for (const auto& rs : batch_)
        for (const auto& s : rs.spans) items.emplace_back(Item(s), std::to_string(s.end_ns));
      WEFT_TRY(state_.Put(items));
    }
    progress_.tally().spans += spans_;
    progress_.tally().bytes += body.size();
    progress_.Tick();
    batch_.clear();
    spans_ = 0;
    return Status::OK();
  }

  const Job& job_;
  Context& ctx_;
  Client client_;
  SyncState state_;
  Progress progress_;
  std::vector<std::string> headers_;
  OtelRequest batch_;
  size_t spans_ = 0;
  Status status_;
};

}  // namespace

Status PushOtlp(const Job& job, Context& ctx, const ClientOptions& opts) {
  return OtlpPusher(job, ctx, opts).Run();
}

}  // namespace weft::remote
