// Start-up times of a few commands measured in turn rather than one after
// the other (hyperfine's way), so that a shared machine's slow spells fall
// on all of them alike (bench/RESULTS.md, the floor). Each round runs every
// command once, output to /dev/null; prints each command's median and
// first quartile in microseconds and its median against the first's.
//
// usage: interleaved ROUNDS [VAR=VALUE ...] PATH ARGS... [-- [VAR=VALUE ...] PATH ARGS...]...
//   VAR=VALUE words before a command's path are set in its environment.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Command {
  std::vector<char*> env, argv;  // argv ends with a null
  std::vector<double> micros;
};

double RunOnce(const Command& c) {
  auto begin = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    for (char* setting : c.env) putenv(setting);
    execv(c.argv[0], c.argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - begin;
  return took.count();
}

double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * (v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || std::atoi(argv[1]) < 1) {
    std::fprintf(stderr, "usage: interleaved ROUNDS [VAR=VALUE ...] PATH ARGS... [-- ...]...\n");
    return 2;
  }
  std::vector<Command> commands(1);
  for (int i = 2; i < argc; ++i) {
    Command& c = commands.back();
    if (std::strcmp(argv[i], "--") == 0)
      commands.emplace_back();
    else if (c.argv.empty() && std::strchr(argv[i], '=') && argv[i][0] != '/' && argv[i][0] != '.')
      c.env.push_back(argv[i]);
    else
      c.argv.push_back(argv[i]);
  }
  for (Command& c : commands) c.argv.push_back(nullptr);
  for (int round = std::atoi(argv[1]); round > 0; --round)
    for (Command& c : commands) c.micros.push_back(RunOnce(c));
  const double first = Quantile(commands[0].micros, 0.5);
  for (const Command& c : commands) {
    std::string line;
    for (char* setting : c.env) line += std::string(setting) + " ";
    for (char* const* a = c.argv.data(); *a; ++a) line += std::string(*a) + " ";
    std::printf("%8.1f us median %8.1f us p25 %6.3fx  %s\n", Quantile(c.micros, 0.5),
                Quantile(c.micros, 0.25), Quantile(c.micros, 0.5) / first, line.c_str());
  }
}
