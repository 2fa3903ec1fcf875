// The Weave HTTP client on libcurl (see client.h).
#include "remote/client.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace weft::remote {

struct Client::Request {
  std::string content_type;  // empty: a multipart upload of one file
  std::string body;          // the JSON, or the file's bytes
  std::string project_id, file_name;  // of the upload
};

namespace {

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// The reason a Weave server gives: detail, reason, message or error.
std::string ReasonOf(const std::string& body) {
  auto parsed = ParseJson(body, "reply");
  if (parsed.ok() && parsed->is_object())
    for (const char* key : {"reason", "detail", "message", "error"})
      if (parsed->contains(key) && (*parsed)[key].is_string()) return (*parsed)[key].get<std::string>();
  std::string cut = body.substr(0, 200);
  for (char& c : cut)
    if (c == '\n' || c == '\r') c = ' ';
  return cut;
}

bool Retryable(long status) { return status == 429 || status == 500 || status == 502 || status == 503 || status == 504; }

// The wait before attempt n (1-based retries): 0.25 s doubling to 8 s, with
// jitter of up to half, so that many clients do not retry in step.
std::chrono::milliseconds Backoff(int n) {
  thread_local std::mt19937 rng(std::random_device{}());
  double base = std::min(8.0, 0.25 * (1 << std::min(n - 1, 5)));
  return std::chrono::milliseconds(static_cast<long>(1000 * base * std::uniform_real_distribution<>(0.5, 1.0)(rng)));
}

}  // namespace

Client::Client(ClientOptions opts) : opts_(std::move(opts)), curl_(curl_easy_init()) {
  while (!opts_.base_url.empty() && opts_.base_url.back() == '/') opts_.base_url.pop_back();
}

Client::~Client() { curl_easy_cleanup(curl_); }

Result<std::string> Client::Once(const std::string& url, const Request& req, bool& retry) {
  retry = false;
  status_ = 0;
  CURL* c = curl_;
  curl_easy_reset(c);
  std::string reply;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);  // a stalled transfer fails after a minute
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "weft/" WEFT_VERSION);
  if (!opts_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, opts_.ca_file.c_str());
  if (!opts_.api_key.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, "api");
    curl_easy_setopt(c, CURLOPT_PASSWORD, opts_.api_key.c_str());
  }
  curl_slist* headers = nullptr;
  curl_mime* mime = nullptr;  // built for each attempt: a sent one does not rewind reliably
  if (req.content_type.empty()) {
    mime = curl_mime_init(c);
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_name(part, "project_id");
    curl_mime_data(part, req.project_id.data(), req.project_id.size());
    part = curl_mime_addpart(mime);
    curl_mime_name(part, "file");
    curl_mime_filename(part, req.file_name.c_str());
    curl_mime_type(part, "application/octet-stream");
    curl_mime_data(part, req.body.data(), req.body.size());
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
  } else {
    headers = curl_slist_append(headers, ("Content-Type: " + req.content_type).c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  curl_mime_free(mime);
  if (rc != CURLE_OK) {
    // Refused connections, timeouts and resets may pass; TLS trust and bad
    // URLs will not.
    retry = rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_SEND_ERROR ||
            rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING || rc == CURLE_PARTIAL_FILE ||
            rc == CURLE_COULDNT_RESOLVE_HOST;
    return StoreError(url + ": " + (*error ? error : curl_easy_strerror(rc)));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status_);
  if (status_ >= 200 && status_ < 300) return reply;
  retry = Retryable(status_);
  std::string what = url + ": HTTP " + std::to_string(status_);
  if (status_ == 401 || status_ == 403)
    return StoreError(what + " (not authorised: set WANDB_API_KEY, or the host's password in ~/.netrc)");
  std::string reason = ReasonOf(reply);
  return StoreError(reason.empty() ? what : what + ": " + reason);
}

Result<std::string> Client::Send(const std::string& url, const Request& req) {
  for (int attempt = 1;; ++attempt) {
    bool retry = false;
    auto reply = Once(url, req, retry);
    if (reply.ok() || !retry || attempt >= opts_.attempts) {
      if (!reply.ok() && retry)
        return StoreError(reply.error().message + " (gave up after " + std::to_string(attempt) + " attempts)");
      return reply;
    }
    std::this_thread::sleep_for(Backoff(attempt));
  }
}

Result<Json> Client::Post(const std::string& path, const Json& body) { return PostText(path, CompactDumps(body)); }

Result<Json> Client::PostText(const std::string& path, std::string body) {
  return SendJson(opts_.base_url + path, std::move(body));
}

Result<Json> Client::PostTo(const std::string& url, const Json& body) { return SendJson(url, CompactDumps(body)); }

Result<Json> Client::SendJson(const std::string& url, std::string body) {
  WEFT_ASSIGN(std::string reply, Send(url, Request{"application/json", std::move(body)}));
  return ParseJson(reply, url + " reply");
}

Result<std::string> Client::PostForBytes(const std::string& path, const Json& body) {
  return Send(opts_.base_url + path, Request{"application/json", CompactDumps(body)});
}

Result<Json> Client::PostFile(const std::string& path, const std::string& project_id, const std::string& name,
                              const std::string& bytes) {
  WEFT_ASSIGN(std::string reply, Send(opts_.base_url + path, Request{"", bytes, project_id, name}));
  return ParseJson(reply, opts_.base_url + path + " reply");
}

std::string HostOf(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find_first_of(":/", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string FindApiKey(const std::string& url) {
  if (const char* key = std::getenv("WANDB_API_KEY"); key && *key) return key;
  std::string path;
  if (const char* netrc = std::getenv("NETRC"); netrc && *netrc) path = netrc;
  else if (const char* home = std::getenv("HOME")) path = std::string(home) + "/.netrc";
  std::ifstream in(path);
  std::string token, machine, host = HostOf(url);
  bool ours = false;
  while (in >> token) {
    if (token == "machine" && in >> machine) ours = machine == host;
    else if (token == "default") ours = true;
    else if (token == "password" && in >> token && ours) return token;
  }
  return "";
}

}  // namespace weft::remote
