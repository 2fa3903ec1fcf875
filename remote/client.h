// A client of a Weave trace server's HTTP API (docs/transfer.md#over-the-wire),
// on libcurl: one keep-alive connection per Client (one Client per thread),
// Basic auth as the SDKs send it, TLS verified against the system's CA store
// (or --ca-file), proxies from HTTPS_PROXY/NO_PROXY, and retries of 429,
// 5xx and network errors with exponential backoff and jitter.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/status.h"

typedef void CURL;

namespace weft::remote {

struct ClientOptions {
  std::string base_url;  // http(s)://host[:port][/path], no trailing slash needed
  std::string api_key;   // empty: no Authorization header
  std::string ca_file;   // empty: the system's CA store
  int attempts = 6;      // tries per request before giving up (WEFT_RETRIES)
};

class Client {
 public:
  explicit Client(ClientOptions opts);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // POSTs JSON to base_url + path and answers the 2xx reply parsed. Errors
  // name the path: 401/403 the API key setting, other 4xx the server's
  // reason (status() tells 413 apart), retries exhausted what failed last.
  Result<Json> Post(const std::string& path, const Json& body);
  // The same for a body that is JSON text already.
  Result<Json> PostText(const std::string& path, std::string body);
  // The same for a reply of raw bytes (file/content).
  Result<std::string> PostForBytes(const std::string& path, const Json& body);
  // A multipart/form-data upload of one file (file/create).
  Result<Json> PostFile(const std::string& path, const std::string& project_id, const std::string& name,
                        const std::string& bytes);
  // POSTs JSON to an absolute URL (GraphQL on the W&B base URL).
  Result<Json> PostTo(const std::string& url, const Json& body);
  // The HTTP status of the last reply (0 when none came).
  long status() const { return status_; }

 private:
  struct Request;
  Result<std::string> Send(const std::string& url, const Request& req);
  Result<Json> SendJson(const std::string& url, std::string body);
  Result<std::string> Once(const std::string& url, const Request& req, bool& retry);

  ClientOptions opts_;
  CURL* curl_;
  long status_ = 0;
};

// The API key for a server URL as the SDKs find it: WANDB_API_KEY, else the
// password of the ~/.netrc (or $NETRC) entry for the host; "" when none.
std::string FindApiKey(const std::string& url);

// The host of a URL ("https://api.wandb.ai:443/x" -> "api.wandb.ai").
std::string HostOf(const std::string& url);

}  // namespace weft::remote
