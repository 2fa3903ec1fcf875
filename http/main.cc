// weft-http: the helper that `weft serve` runs, as git runs its git-*
// helpers, so that the HTTP library and its TLS, brotli and zlib stay off
// the start-up path of every other weft command. Its flags are the ones
// `weft serve` passes on; the API key comes in WEFT_API_KEY, never argv.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/server.h"

int main(int argc, char** argv) {
  mallopt(M_ARENA_MAX,
          4);  // not one heap per worker thread, each keeping what its largest request freed
  weft::http::ServeOptions opts;
  std::string store = ".weft";
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (bool* set = flag == "--log"               ? &opts.log
                    : flag == "--ui"              ? &opts.ui
                    : flag == "--open"            ? &opts.open_browser
                    : flag == "--read-only"       ? &opts.read_only
                    : flag == "--insecure-no-key" ? &opts.insecure_no_key
                                                  : nullptr) {
      *set = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "weft-http: %s needs a value (run weft serve, not weft-http)\n",
                   argv[i]);
      return 2;
    }
    std::string value = argv[++i];
    if (flag == "--store")
      store = value;
    else if (flag == "--host")
      opts.host = value;
    else if (flag == "--port")
      opts.port = std::atoi(value.c_str());
    else if (flag == "--max-body")
      opts.max_body = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--max-in-flight")
      opts.max_in_flight = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--threads")
      opts.threads = std::atoi(value.c_str());
    else if (flag == "--user")
      opts.user = value;
    else if (flag == "--project")
      opts.project = value;
    else if (flag == "--allow-host")
      opts.allow_hosts.push_back(value);
    else {
      std::fprintf(stderr, "weft-http: unknown flag %s (run weft serve, not weft-http)\n",
                   argv[i - 1]);
      return 2;
    }
  }
  if (const char* key = std::getenv("WEFT_API_KEY")) opts.api_key = key;
  weft::TraceServer server(store);
  std::string user = opts.user;
  server.ctx().find_user = [user] { return user; };
  return weft::http::Serve(server, opts);
}
