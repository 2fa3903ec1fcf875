// Connections, framing and deadlines of weft serve (transport.h).
#include "http/transport.h"

#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "base/json.h"
#include "http/wire/chunked.h"
#include "http/wire/inflate.h"
#include "http/wire/params.h"

namespace weft::http {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const char* StatusText(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 421: return "Misdirected Request";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return status < 500 ? "Error" : "Server Error";
  }
}

// After a request body this large, freed heap is returned to the system:
// when no other request holds a body (the server goes quiet), else at most
// once every kTrimEvery, so that requests under load reuse the heap the
// ones before them freed instead of faulting fresh pages in each time.
constexpr size_t kTrimAfter = size_t{1} << 20;
constexpr auto kTrimEvery = std::chrono::seconds(1);

// A connection and the bytes read from it but not yet used.
struct Conn {
  int fd = -1;
  std::string buf;
  Clock::time_point deadline;
  bool started = false;  // a head has begun arriving
  ~Conn() {
    if (fd >= 0) close(fd);
  }
};

int MillisUntil(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60000));
}

// Waits until fd is ready for `events` or the deadline passes.
bool WaitFor(int fd, short events, Clock::time_point deadline) {
  while (true) {
    pollfd p{fd, events, 0};
    int left = MillisUntil(deadline);
    int n = poll(&p, 1, left);
    if (n > 0) return true;
    if (n == 0 && Clock::now() >= deadline) return false;
    if (n < 0 && errno != EINTR) return false;
  }
}

bool SendAll(int fd, std::string_view data, milliseconds timeout) {
  while (!data.empty()) {
    if (!WaitFor(fd, POLLOUT, Clock::now() + timeout)) return false;
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Reads what has arrived (waiting until the deadline for some); false on
// end of stream, error or deadline.
bool RecvSome(Conn& c, Clock::time_point deadline) {
  if (!WaitFor(c.fd, POLLIN, deadline)) return false;
  char buf[64 * 1024];
  ssize_t n = recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  c.buf.append(buf, static_cast<size_t>(n));
  return true;
}

// Body bytes held by all requests at once. A request is always admitted
// when no other holds any, so one as large as --max-body still goes through.
class InFlight {
 public:
  explicit InFlight(size_t max) : max_(max) {}
  bool Take(size_t n) {
    std::lock_guard lock(mu_);
    if (held_ != 0 && held_ + n > max_) return false;
    held_ += n;
    return true;
  }
  void Give(size_t n) {
    std::lock_guard lock(mu_);
    held_ -= n;
  }
  size_t held() {
    std::lock_guard lock(mu_);
    return held_;
  }

 private:
  std::mutex mu_;
  size_t max_, held_ = 0;
};

// The bytes of InFlight one request holds, given back when it ends.
class Hold {
 public:
  explicit Hold(InFlight& pool) : pool_(pool) {}
  ~Hold() { pool_.Give(held_); }
  size_t held() const { return held_; }
  bool GrowTo(size_t n) {
    if (n <= held_) return true;
    if (!pool_.Take(n - held_)) return false;
    held_ = n;
    return true;
  }

 private:
  InFlight& pool_;
  size_t held_ = 0;
};

}  // namespace

Response ErrorResponse(int status, const std::string& reason, const Json& extra) {
  Json body = extra;
  body["reason"] = reason;
  if (status == 404) body["detail"] = "Not Found";
  Response r;
  r.status = status;
  r.body = CompactDumps(body);  // invalid UTF-8 in a quoted value becomes U+FFFD
  return r;
}

struct Transport::State {
  int listen_fd;
  Service& service;
  TransportLimits limits;
  InFlight in_flight;
  std::mutex trim_mu;
  Clock::time_point last_trim{};
  int wake[2] = {-1, -1};
  std::atomic<bool> stopping{false};
  size_t max_waiting;

  std::mutex mu;
  std::condition_variable ready_cv;
  std::deque<std::unique_ptr<Conn>> ready;     // a whole head is in buf: for a worker
  std::deque<std::unique_ptr<Conn>> returned;  // back from a worker: wait for the next request
  std::set<int> busy;                          // fds a worker is serving
  int workers_running = 0;
  std::condition_variable done_cv;

  State(int fd, Service& s, const TransportLimits& l)
      : listen_fd(fd), service(s), limits(l), in_flight(l.max_in_flight) {
    rlimit r{};
    getrlimit(RLIMIT_NOFILE, &r);
    size_t fds = r.rlim_cur == RLIM_INFINITY ? 65536 : static_cast<size_t>(r.rlim_cur);
    size_t reserved = static_cast<size_t>(l.workers) + 64;
    max_waiting = std::clamp<size_t>(fds > reserved ? fds - reserved : 16, 16, 4096);
  }

  void Log(const RequestHead& head, int status, Clock::time_point started) {
    if (!limits.log) return;
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    std::fprintf(stderr, "%s: %s %s %d %.1f ms\n", limits.log_name.c_str(), head.method.c_str(),
                 head.path.c_str(), status, ms);
  }

  // Writes an answer; false when the connection must close.
  bool Write(Conn& c, Response& r, bool keep_alive) {
    keep_alive = keep_alive && !r.close && !stopping;
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + StatusText(r.status) + "\r\n";
    size_t length = r.spool ? r.spool->size() : r.body.size();
    head += "Content-Type: " + r.content_type + "\r\nContent-Length: " + std::to_string(length) +
            "\r\n";
    for (const auto& [name, value] : service.CommonHeaders()) head += name + ": " + value + "\r\n";
    for (const auto& [name, value] : r.headers) head += name + ": " + value + "\r\n";
    head += keep_alive ? "\r\n" : "Connection: close\r\n\r\n";
    if (!SendAll(c.fd, head, limits.write)) return false;
    bool sent = r.spool ? r.spool->ForEachPiece([&](std::string_view piece) {
      return SendAll(c.fd, piece, limits.write);
    })
                        : SendAll(c.fd, r.body, limits.write);
    return sent && keep_alive;
  }

  Response TooLarge() const {
    return ErrorResponse(413, "the request body is larger than --max-body (" +
                                  std::to_string(limits.max_body) + " bytes)");
  }

  // Reads and decodes the body of `head` (whose head bytes are gone from
  // c.buf) into req.body, or answers the error that ends the request.
  std::optional<Response> ReadBody(Conn& c, Request& req, Hold& hold) {
    const RequestHead& head = req.head;
    auto started = Clock::now();
    auto deadline = [&](size_t received) {
      return started + limits.body + milliseconds(received / 16);
    };
    if (head.framing == BodyFraming::kLength) {
      if (head.content_length > limits.max_body) return TooLarge();
      size_t n = static_cast<size_t>(head.content_length);
      if (!hold.GrowTo(n)) return Busy503();
      if (head.expect_continue && c.buf.size() < n)
        SendAll(c.fd, "HTTP/1.1 100 Continue\r\n\r\n", limits.write);
      while (c.buf.size() < n)
        if (!RecvSome(c, deadline(c.buf.size())))
          return ErrorResponse(408, "the request body did not arrive in time");
      req.body = c.buf.substr(0, n);
      c.buf.erase(0, n);
    } else if (head.framing == BodyFraming::kChunked) {
      if (head.expect_continue) SendAll(c.fd, "HTTP/1.1 100 Continue\r\n\r\n", limits.write);
      ChunkedDecoder decoder;
      size_t received = 0;
      while (true) {
        auto used = decoder.Feed(c.buf, req.body);
        if (!used.ok()) return ErrorResponse(400, used.error().message);
        received += *used;
        c.buf.erase(0, *used);
        if (req.body.size() > limits.max_body) return TooLarge();
        if (!hold.GrowTo(req.body.size())) return Busy503();
        if (decoder.done()) break;
        if (!RecvSome(c, deadline(received)))
          return ErrorResponse(408, "the request body did not arrive in time");
      }
    }
    return Decode(req, hold);
  }

  // Undoes a Content-Encoding of the body.
  std::optional<Response> Decode(Request& req, Hold& hold) {
    std::string coding = Lower(req.head.Header("content-encoding"));
    if (coding.empty() || coding == "identity") return std::nullopt;
    if (coding != "gzip" && coding != "x-gzip" && coding != "deflate")
      return ErrorResponse(
          415, "Content-Encoding: only gzip and deflate are accepted, not '" + coding + "'");
    auto inflated = Inflate(req.body, limits.max_body);
    if (!inflated.ok()) return ErrorResponse(400, inflated.error().message);
    if (inflated->too_large)
      return ErrorResponse(
          413, "the decoded request body is larger than --max-body or compressed more than 200:1");
    if (!hold.GrowTo(req.body.size() + inflated->data.size())) return Busy503();
    req.body = std::move(inflated->data);
    return std::nullopt;
  }

  // After refusing a request whose body is still coming, reads and drops
  // a bounded amount of it before closing, so that the client, which
  // sends its whole body before reading, sees the answer instead of a reset.
  void LingeringClose(Conn& c) {
    shutdown(c.fd, SHUT_WR);
    auto until = Clock::now() + std::chrono::seconds(2);
    for (size_t dropped = 0; dropped < (size_t{16} << 20) && RecvSome(c, until);) {
      dropped += c.buf.size();
      c.buf.clear();
    }
  }

  static Response Busy503() {
    Response r = ErrorResponse(
        503, "weft serve holds as many request bodies as it may (--max-in-flight); retry shortly");
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }

  // Hands a big request's freed heap back, whichever thread's arena held
  // it (kTrimAfter says when).
  void Trim(const Hold& mine) {
    auto now = Clock::now();
    {
      std::lock_guard lock(trim_mu);
      if (in_flight.held() > mine.held() && now - last_trim < kTrimEvery) return;
      last_trim = now;
    }
    malloc_trim(0);
  }

  // One request at the start of c.buf (its head complete); false when the
  // connection must close.
  bool ServeOne(Conn& c) {
    auto started = Clock::now();
    size_t head_length = HeadLength(c.buf);
    auto parsed = ParseRequestHead(std::string_view(c.buf).substr(0, head_length));
    if (!parsed.ok()) {
      Response r = ErrorResponse(400, parsed.error().message);
      Write(c, r, false);
      return false;
    }
    Request req{std::move(*parsed), {}};
    c.buf.erase(0, head_length);
    std::optional<Response> refused = service.Admit(req.head);
    Hold hold(in_flight);
    if (!refused) refused = ReadBody(c, req, hold);
    if (refused) {  // the body may be unread: the connection cannot go on
      Write(c, *refused, false);
      Log(req.head, refused->status, started);
      LingeringClose(c);
      return false;
    }
    bool large = req.body.size() > kTrimAfter;
    Response r = service.Handle(req);
    Log(req.head, r.status, started);
    std::string().swap(req.body);
    if (large) Trim(hold);
    return Write(c, r, req.head.keep_alive);
  }

  void Worker() {
    while (true) {
      std::unique_ptr<Conn> c;
      {
        std::unique_lock lock(mu);
        ready_cv.wait(lock, [&] { return !ready.empty() || stopping; });
        if (ready.empty()) break;
        c = std::move(ready.front());
        ready.pop_front();
        busy.insert(c->fd);
      }
      bool open = true;
      while (open && HeadLength(c->buf) > 0) open = ServeOne(*c);  // pipelined requests, in order
      std::lock_guard lock(mu);
      busy.erase(c->fd);
      if (open && !stopping) {
        returned.push_back(std::move(c));
        char byte = 1;
        (void)!write(wake[1], &byte, 1);
      }
    }
    std::lock_guard lock(mu);
    if (--workers_running == 0) done_cv.notify_all();
  }

  // Waits on the listening socket, idle connections and heads arriving.
  void Reactor() {
    std::vector<std::unique_ptr<Conn>> waiting;
    auto wait_for_request = [&](std::unique_ptr<Conn> c) {
      c->started = !c->buf.empty();
      c->deadline = Clock::now() + (c->started ? limits.head : limits.idle);
      if (waiting.size() >= max_waiting) {  // full: drop the one waited on longest
        auto oldest = std::min_element(
            waiting.begin(), waiting.end(),
            [](const auto& a, const auto& b) { return a->deadline < b->deadline; });
        waiting.erase(oldest);
      }
      waiting.push_back(std::move(c));
    };
    std::vector<pollfd> fds;
    while (!stopping) {
      fds.assign({{listen_fd, POLLIN, 0}, {wake[0], POLLIN, 0}});
      Clock::time_point next = Clock::now() + std::chrono::seconds(1);
      for (const auto& c : waiting) {
        fds.push_back({c->fd, POLLIN, 0});
        next = std::min(next, c->deadline);
      }
      int n = poll(fds.data(), fds.size(), MillisUntil(next));
      if (n < 0 && errno != EINTR) break;
      if (stopping) break;
      auto now = Clock::now();
      std::vector<std::unique_ptr<Conn>> kept;
      for (size_t i = 0; i < waiting.size(); ++i) {
        if (Advance(*waiting[i], fds[i + 2].revents, now))
          kept.push_back(std::move(waiting[i]));
        else if (waiting[i] && HeadLength(waiting[i]->buf) > 0)
          Dispatch(std::move(waiting[i]));
      }
      waiting = std::move(kept);
      if (fds[1].revents) {
        char drain[256];
        (void)!read(wake[0], drain, sizeof drain);
        std::deque<std::unique_ptr<Conn>> back;
        {
          std::lock_guard lock(mu);
          back.swap(returned);
        }
        for (auto& c : back) wait_for_request(std::move(c));
      }
      if (fds[0].revents) Accept(wait_for_request);
    }
  }

  void Dispatch(std::unique_ptr<Conn> c) {
    std::lock_guard lock(mu);
    ready.push_back(std::move(c));
    ready_cv.notify_one();
  }

  // Reads what arrived on a waiting connection; true while it still waits
  // (false: its head is whole, or it is closed, timed out or too large).
  bool Advance(Conn& c, short revents, Clock::time_point now) {
    if (revents) {
      char buf[16 * 1024];
      ssize_t got = recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
        c.buf.clear();
        return false;  // gone
      }
      if (got > 0) {
        if (!c.started) c.deadline = now + limits.head;
        c.started = true;
        c.buf.append(buf, static_cast<size_t>(got));
      }
    }
    if (HeadLength(c.buf) > 0) return false;
    if (c.buf.size() > kMaxHeadBytes || (now >= c.deadline && c.started)) {
      Response r = c.buf.size() > kMaxHeadBytes
                       ? ErrorResponse(431, "the request head is larger than 64 KiB")
                       : ErrorResponse(408, "the request head did not arrive in time");
      Write(c, r, false);
      c.buf.clear();
      return false;
    }
    return now < c.deadline;
  }

  template <class F>
  void Accept(F&& wait_for_request) {
    for (int i = 0; i < 64; ++i) {
      int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd < 0) return;
      int yes = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      auto c = std::make_unique<Conn>();
      c->fd = fd;
      wait_for_request(std::move(c));
    }
  }
};

Transport::Transport(int listen_fd, Service& service, const TransportLimits& limits)
    : state_(std::make_unique<State>(listen_fd, service, limits)) {
  if (pipe2(state_->wake, O_CLOEXEC | O_NONBLOCK) != 0) state_->wake[0] = state_->wake[1] = -1;
}

Transport::~Transport() {
  for (int fd : state_->wake)
    if (fd >= 0) close(fd);
}

void Transport::Run() {
  State& s = *state_;
  std::vector<std::thread> workers;
  s.workers_running = s.limits.workers;
  for (int i = 0; i < s.limits.workers; ++i) workers.emplace_back([&s] { s.Worker(); });
  s.Reactor();  // until Stop: idle connections close with it
  std::unique_lock lock(s.mu);
  s.ready_cv.notify_all();
  if (!s.done_cv.wait_for(lock, s.limits.drain, [&] { return s.workers_running == 0; }))
    for (int fd : s.busy)
      shutdown(fd, SHUT_RDWR);  // past the drain deadline: end what is still running
  lock.unlock();
  for (auto& t : workers) t.join();
}

void Transport::Stop() {
  state_->stopping = true;
  char byte = 0;
  (void)!write(state_->wake[1], &byte, 1);
  std::lock_guard lock(state_->mu);
  state_->ready_cv.notify_all();
}

}  // namespace weft::http
