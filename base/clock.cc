// Calendar arithmetic for RFC 3339 times (Howard Hinnant's civil-day formulas).
#include "base/clock.h"

#include <chrono>
#include <cstdio>

namespace weft {
namespace {

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

// Reads exactly n digits at s[i].
bool Digits(std::string_view s, size_t& i, int n, int& out) {
  out = 0;
  for (int k = 0; k < n; ++k, ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool Expect(std::string_view s, size_t& i, std::string_view chars) {
  if (i >= s.size() || chars.find(s[i]) == std::string_view::npos) return false;
  ++i;
  return true;
}

}  // namespace

Micros NowMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::optional<Micros> ParseTime(std::string_view s) {
  size_t i = 0;
  int y, mo, d, h, mi, sec;
  if (!Digits(s, i, 4, y) || !Expect(s, i, "-") || !Digits(s, i, 2, mo) || !Expect(s, i, "-") ||
      !Digits(s, i, 2, d) || !Expect(s, i, "Tt ") || !Digits(s, i, 2, h) || !Expect(s, i, ":") ||
      !Digits(s, i, 2, mi) || !Expect(s, i, ":") || !Digits(s, i, 2, sec))
    return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && leap) || h > 23 ||
      mi > 59 || sec > 59)
    return std::nullopt;
  int64_t frac = 0;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    int n = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++n)
      if (n < 6) frac = frac * 10 + (s[i] - '0');
    if (n == 0) return std::nullopt;
    for (; n < 6; ++n) frac *= 10;
  }
  int64_t offset = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
    } else {
      int sign = s[i] == '-' ? -1 : 1;
      int oh, om;
      if (!Expect(s, i, "+-") || !Digits(s, i, 2, oh)) return std::nullopt;
      Expect(s, i, ":");
      if (!Digits(s, i, 2, om) || oh > 23 || om > 59) return std::nullopt;
      offset = sign * (oh * 3600 + om * 60);
    }
  }
  if (i != s.size()) return std::nullopt;
  int64_t days = DaysFromCivil(y, mo, d);
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset;
  return secs * 1000000 + frac;
}

std::string FormatTime(Micros t) {
  int64_t secs = t >= 0 ? t / 1000000 : -((-t + 999999) / 1000000);
  int64_t us = t - secs * 1000000;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  if (y < 0 || y > 9999) {  // beyond RFC 3339's years
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                  static_cast<long long>(us));
    return buf;
  }
  // Written digit by digit: exports and query answers hold two a call.
  std::string out = "0000-00-00T00:00:00.000000Z";
  auto put = [&](size_t end, int64_t v, int digits) {
    for (int i = 1; i <= digits; ++i, v /= 10) out[end - i] = static_cast<char>('0' + v % 10);
  };
  put(4, y, 4), put(7, m, 2), put(10, d, 2), put(13, rem / 3600, 2), put(16, rem / 60 % 60, 2);
  put(19, rem % 60, 2), put(26, us, 6);
  return out;
}

}  // namespace weft
