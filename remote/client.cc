// The Weave HTTP client on libcurl (see client.h).
#include "remote/client.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

namespace weft::remote {

struct Client::Request {
  std::string content_type;           // empty: a multipart upload of one file
  std::string body;                   // the JSON, or the file's bytes
  std::string project_id, file_name;  // of the upload
  enum Kind { kJson, kBytes, kLines } kind = kJson;
  const char* must_have = nullptr;     // kJson: the member an answer holds
  std::vector<Json>* lines = nullptr;  // kLines: where each line goes
  std::vector<std::string> headers;    // more headers ("Name: value")
  bool found_keys = true;              // send a key found for the host (WANDB_API_KEY, ~/.netrc)
};

namespace {

// What the write callback gathers: the reply's bytes, or with lines, each
// line parsed as it completes.
struct Reply {
  std::string data;
  size_t max = kMaxJsonReply, seen = 0;
  std::vector<Json>* lines = nullptr;
  std::string problem;  // why the transfer was stopped
};

size_t Collect(char* data, size_t size, size_t n, void* out) {
  auto& reply = *static_cast<Reply*>(out);
  size_t bytes = size * n;
  reply.seen += bytes;
  if (reply.seen > reply.max) {
    reply.problem = "the reply is larger than " + std::to_string(reply.max >> 20) + " MiB";
    return 0;
  }
  reply.data.append(data, bytes);
  if (!reply.lines) return bytes;
  size_t start = 0;
  for (size_t nl; (nl = reply.data.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string_view line(reply.data.data() + start, nl - start);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto parsed = ParseJson(line, "a line of the reply");
    if (!parsed.ok() || !parsed->is_object()) {
      reply.problem = "a line of the reply is not a JSON object";
      return 0;
    }
    reply.lines->push_back(std::move(*parsed));
  }
  reply.data.erase(0, start);
  return bytes;
}

// The reason a Weave server gives: detail, reason, message or error.
std::string ReasonOf(const std::string& body) {
  auto parsed = ParseJson(body, "reply");
  if (parsed.ok() && parsed->is_object())
    for (const char* key : {"reason", "detail", "message", "error"})
      if (parsed->contains(key) && (*parsed)[key].is_string())
        return (*parsed)[key].get<std::string>();
  std::string cut = body.substr(0, 200);
  for (char& c : cut)
    if (c == '\n' || c == '\r') c = ' ';
  return cut;
}

// Whether a 2xx JSON reply is the answer asked for; "" when it is.
std::string NotAnAnswer(const std::string& body, const char* must_have) {
  auto parsed = ParseJson(body, "reply");
  if (!parsed.ok() || !parsed->is_object()) return "the reply is not a JSON object";
  if (must_have && (!parsed->contains(must_have) || (*parsed)[must_have].is_null()))
    return std::string("the reply has no ") + must_have + (body.size() < 200 ? ": " + body : "");
  return "";
}

bool Retryable(long status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

// The wait before attempt n (1-based retries): 0.25 s doubling to 8 s, with
// jitter of up to half, so that many clients do not retry in step.
std::chrono::milliseconds Backoff(int n) {
  thread_local std::mt19937 rng(std::random_device{}());
  double base = std::min(8.0, 0.25 * (1 << std::min(n - 1, 5)));
  return std::chrono::milliseconds(
      static_cast<long>(1000 * base * std::uniform_real_distribution<>(0.5, 1.0)(rng)));
}

}  // namespace

Client::Client(ClientOptions opts) : opts_(std::move(opts)), curl_(curl_easy_init()) {
  while (!opts_.base_url.empty() && opts_.base_url.back() == '/') opts_.base_url.pop_back();
}

Client::~Client() { curl_easy_cleanup(curl_); }

const std::string& Client::KeyFor(const std::string& url) {
  std::string host = HostOf(url);
  auto found = keys_.find(host);
  if (found != keys_.end()) return found->second;
  bool own = host == HostOf(opts_.base_url) && !opts_.url_key.empty();
  return keys_[host] = own ? opts_.url_key : FindApiKey(url);
}

namespace {

// What every request sets: where, how long, what is never followed.
void SetTransport(CURL* c, const std::string& url, Reply& reply, char* error, long timeout,
                  const std::string& ca_file) {
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is reported, never followed
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  // The whole request, however slowly it trickles; and a stall fails sooner.
  curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "weft/" WEFT_VERSION);
  if (!ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_file.c_str());
}

// The request's body: a file upload as multipart (built for each attempt:
// a sent one does not rewind reliably), else the bytes with their type.
curl_mime* SetBody(CURL* c, const Client::Request& req, curl_slist*& headers) {
  if (!req.content_type.empty()) {
    headers = curl_slist_append(headers, ("Content-Type: " + req.content_type).c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    return nullptr;
  }
  curl_mime* mime = curl_mime_init(c);
  curl_mimepart* part = curl_mime_addpart(mime);
  curl_mime_name(part, "project_id");
  curl_mime_data(part, req.project_id.data(), req.project_id.size());
  part = curl_mime_addpart(mime);
  curl_mime_name(part, "file");
  curl_mime_filename(part, req.file_name.c_str());
  curl_mime_type(part, "application/octet-stream");
  curl_mime_data(part, req.body.data(), req.body.size());
  curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
  return mime;
}

// A transfer that failed before any answer: whether trying again may help.
// Refused connections, resets and name lookups may pass; TLS trust and bad
// URLs will not.
bool TransientFailure(CURLcode rc) {
  return rc == CURLE_COULDNT_CONNECT || rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR ||
         rc == CURLE_GOT_NOTHING || rc == CURLE_PARTIAL_FILE || rc == CURLE_COULDNT_RESOLVE_HOST;
}

}  // namespace

Result<std::string> Client::Once(const std::string& url, const Request& req, bool& retry) {
  retry = false;
  status_ = 0;
  CURL* c = curl_;
  curl_easy_reset(c);
  Reply reply;
  if (req.kind == Request::kBytes) reply.max = kMaxBytesReply;
  if (req.kind == Request::kLines) {
    reply.max = kMaxStreamReply;
    reply.lines = req.lines;
    req.lines->clear();  // an attempt starts over
  }
  char error[CURL_ERROR_SIZE] = "";
  SetTransport(c, url, reply, error, opts_.timeout, opts_.ca_file);
  const std::string& key =
      req.found_keys ? KeyFor(url) : opts_.url_key;  // PostRaw goes to base_url only
  if (!key.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, "api");
    curl_easy_setopt(c, CURLOPT_PASSWORD, key.c_str());
  }
  curl_slist* headers = nullptr;
  curl_mime* mime = SetBody(c, req, headers);
  for (const std::string& h : req.headers) headers = curl_slist_append(headers, h.c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  curl_mime_free(mime);
  if (rc == CURLE_WRITE_ERROR && !reply.problem.empty())
    return StoreError(url + ": " + reply.problem);
  retry = rc == CURLE_OPERATION_TIMEDOUT || TransientFailure(rc);
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return StoreError(url + ": no whole answer within " + std::to_string(opts_.timeout) +
                      " s (WEFT_TIMEOUT)");
  if (rc != CURLE_OK) return StoreError(url + ": " + (*error ? error : curl_easy_strerror(rc)));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status_);
  return Answer(url, req, std::move(reply.data), retry);
}

// What an answer that came whole says: its text, or why it is not one.
Result<std::string> Client::Answer(const std::string& url, const Request& req, std::string data,
                                   bool& retry) {
  std::string what = url + ": HTTP " + std::to_string(status_);
  if (status_ >= 300 && status_ < 400) {
    char* location = nullptr;
    curl_easy_getinfo(curl_, CURLINFO_REDIRECT_URL, &location);
    return StoreError(what + ": redirected to " +
                      (location ? SplitCredentials(location).first : "elsewhere") +
                      " (weft follows no redirect: give that URL if you trust it)");
  }
  if (status_ < 200 || status_ >= 300) {
    retry = Retryable(status_);
    if (status_ == 401 || status_ == 403)
      return StoreError(what +
                        " (not authorised: set WANDB_API_KEY, or the host's password in ~/.netrc)");
    std::string reason = ReasonOf(data);
    return StoreError(reason.empty() ? what : what + ": " + reason);
  }
  if (req.kind == Request::kLines && data.find_first_not_of(" \t\r\n") != std::string::npos) {
    retry = true;
    return StoreError(url + ": the reply ends inside a line");
  }
  if (req.kind == Request::kJson) {
    if (std::string no = NotAnAnswer(data, req.must_have); !no.empty()) {
      retry = true;  // a proxy's page or a broken server: nothing is taken as acknowledged
      return StoreError(what + " but " + no);
    }
  }
  return data;
}

Result<std::string> Client::Send(const std::string& url, const Request& req) {
  for (int attempt = 1;; ++attempt) {
    bool retry = false;
    auto reply = Once(url, req, retry);
    if (reply.ok() || !retry || attempt >= opts_.attempts) {
      if (!reply.ok() && retry)
        return StoreError(reply.error().message + " (gave up after " + std::to_string(attempt) +
                          " attempts)");
      return reply;
    }
    std::this_thread::sleep_for(Backoff(attempt));
  }
}

Result<Json> Client::Post(const std::string& path, const Json& body, const char* must_have) {
  return PostText(path, CompactDumps(body), must_have);
}

Result<Json> Client::PostText(const std::string& path, std::string body, const char* must_have) {
  Request req{"application/json", std::move(body)};
  req.must_have = must_have;
  WEFT_ASSIGN(std::string reply, Send(opts_.base_url + path, req));
  return ParseJson(reply, opts_.base_url + path + " reply");
}

Result<Json> Client::PostTo(const std::string& url, const Json& body, const char* must_have) {
  Request req{"application/json", CompactDumps(body)};
  req.must_have = must_have;
  WEFT_ASSIGN(std::string reply, Send(url, req));
  return ParseJson(reply, url + " reply");
}

Result<std::string> Client::PostForBytes(const std::string& path, const Json& body) {
  Request req{"application/json", CompactDumps(body)};
  req.kind = Request::kBytes;
  return Send(opts_.base_url + path, req);
}

Result<std::vector<Json>> Client::PostForLines(const std::string& path, const Json& body) {
  std::vector<Json> lines;
  Request req{"application/json", CompactDumps(body)};
  req.kind = Request::kLines;
  req.lines = &lines;
  WEFT_TRY(Send(opts_.base_url + path, req));
  return lines;
}

Result<std::string> Client::PostRaw(const std::string& body, const std::string& content_type,
                                    std::vector<std::string> headers) {
  Request req{content_type, body};
  req.kind = Request::kBytes;
  req.headers = std::move(headers);
  req.found_keys = false;
  return Send(opts_.base_url, req);
}

Result<Json> Client::PostFile(const std::string& path, const std::string& project_id,
                              const std::string& name, const std::string& bytes) {
  Request req{"", bytes, project_id, name};
  req.must_have = "digest";
  WEFT_ASSIGN(std::string reply, Send(opts_.base_url + path, req));
  return ParseJson(reply, opts_.base_url + path + " reply");
}

std::pair<std::string, std::string> SplitCredentials(const std::string& url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  size_t at = url.rfind('@', end == std::string::npos ? std::string::npos : end);
  if (at == std::string::npos || at < start) return {url, ""};
  std::string userinfo = url.substr(start, at - start);
  size_t colon = userinfo.find(':');
  return {url.substr(0, start) + url.substr(at + 1),
          colon == std::string::npos ? "" : userinfo.substr(colon + 1)};
}

std::string HostOf(const std::string& url) {
  std::string bare = SplitCredentials(url).first;
  size_t start = bare.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = bare.find_first_of(":/?#", start);
  return bare.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string FindApiKey(const std::string& url) {
  if (const char* key = std::getenv("WANDB_API_KEY"); key && *key) return key;
  std::string path;
  if (const char* netrc = std::getenv("NETRC"); netrc && *netrc)
    path = netrc;
  else if (const char* home = std::getenv("HOME"))
    path = std::string(home) + "/.netrc";
  std::ifstream in(path);
  std::string token, machine, host = HostOf(url);
  bool ours = false;
  while (in >> token) {
    if (token == "machine" && in >> machine)
      ours = machine == host;
    else if (token == "default")
      ours = true;
    else if (token == "password" && in >> token && ours)
      return token;
  }
  return "";
}

}  // namespace weft::remote
