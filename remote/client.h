// A client of a Weave trace server's HTTP API (docs/transfer.md#push),
// on libcurl: one keep-alive connection per Client (one Client per thread),
// Basic auth as the SDKs send it, TLS verified against the system's CA store
// (or --ca-file), proxies from HTTPS_PROXY/NO_PROXY, and retries of 429,
// 5xx, network errors and replies that are not the answer asked for, with
// exponential backoff and jitter. It trusts the server with nothing more
// than the request it sends: no redirect is followed, every reply is capped
// in size and time, and a host's credentials go to that host only
// (docs/security.md#what-a-remote-server-can-do).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"

typedef void CURL;

namespace weft::remote {

// The largest replies taken, by kind; past them a request fails.
inline constexpr size_t kMaxJsonReply = size_t{256} << 20;
inline constexpr size_t kMaxBytesReply = size_t{1} << 30;   // file/content
inline constexpr size_t kMaxStreamReply = size_t{1} << 30;  // calls/stream_query, a line at a time

struct ClientOptions {
  std::string base_url;  // http(s)://host[:port][/path], without credentials
  std::string url_key;   // the password given in the URL (user:KEY@host), for its host only
  std::string ca_file;   // empty: the system's CA store
  int attempts = 6;      // tries per request before giving up (WEFT_RETRIES)
  long timeout = 300;    // seconds for a whole request and its reply (WEFT_TIMEOUT)
};

class Client {
 public:
  explicit Client(ClientOptions opts);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // POSTs JSON to base_url + path and answers the 2xx reply parsed, which
  // must be a JSON object holding `must_have` (not null) when given: a
  // reply of another shape (a proxy's page, {"detail": ...}) is no answer,
  // and is retried like a 5xx. Errors name the host and path: 401/403 the
  // API key setting, 3xx the redirect not followed, other 4xx the server's
  // reason (status() tells 413 apart), retries exhausted what failed last.
  Result<Json> Post(const std::string& path, const Json& body, const char* must_have = nullptr);
  // The same for a body that is JSON text already.
  Result<Json> PostText(const std::string& path, std::string body, const char* must_have = nullptr);
  // The same for a reply of raw bytes (file/content).
  Result<std::string> PostForBytes(const std::string& path, const Json& body);
  // The same for an NDJSON reply (calls/stream_query), parsed a line at a
  // time as it arrives; each line must be a JSON object.
  Result<std::vector<Json>> PostForLines(const std::string& path, const Json& body);
  // POSTs bytes to base_url itself with these more headers ("Name: value")
  // and answers the 2xx reply's bytes (an OTLP endpoint). No key found in
  // WANDB_API_KEY or ~/.netrc goes with it: only the URL's own password.
  Result<std::string> PostRaw(const std::string& body, const std::string& content_type,
                              std::vector<std::string> headers);
  // A multipart/form-data upload of one file (file/create); the reply must
  // hold its digest.
  Result<Json> PostFile(const std::string& path, const std::string& project_id,
                        const std::string& name, const std::string& bytes);
  // POSTs JSON to an absolute URL (GraphQL on the W&B base URL), with that
  // host's own credentials.
  Result<Json> PostTo(const std::string& url, const Json& body, const char* must_have);
  // The HTTP status of the last reply (0 when none came).
  long status() const { return status_; }
  // One request as the methods above make it (client.cc).
  struct Request;

 private:
  Result<std::string> Send(const std::string& url, const Request& req);
  Result<std::string> Once(const std::string& url, const Request& req, bool& retry);
  Result<std::string> Answer(const std::string& url, const Request& req, std::string data,
                             bool& retry);
  const std::string& KeyFor(const std::string& url);

  ClientOptions opts_;
  CURL* curl_;
  long status_ = 0;
  std::map<std::string, std::string> keys_;  // by host
};

// The API key for a server URL as the SDKs find it: WANDB_API_KEY, else the
// password of the ~/.netrc (or $NETRC) entry for the host; "" when none.
std::string FindApiKey(const std::string& url);

// The host of a URL ("https://u:p@api.wandb.ai:443/x" -> "api.wandb.ai").
std::string HostOf(const std::string& url);

// A URL without the credentials it may hold ("http://u:p@h/x" -> "http://h/x"),
// and the password that was there.
std::pair<std::string, std::string> SplitCredentials(const std::string& url);

}  // namespace weft::remote
