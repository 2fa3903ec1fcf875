// Reading a stream a line at a time with a bound on a line's length, for
// weft import: a 1 GiB line is refused with its number instead of taking
// the process's memory, and no more than one copy of a line is held.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace weft::cli {

// The lines of a stream, each at most max bytes, with no more than one
// copy of a line held.
class LineReader {
 public:
  LineReader(std::istream& in, size_t max) : in_(in), max_(max) {}

  // The next line without its newline, valid until the next call; nullopt
  // at the end. A line past max is an error naming its number.
  Result<std::optional<std::string_view>> Next() {
    while (true) {
      size_t nl = buf_.find('\n', pos_);
      size_t length = (nl == std::string::npos ? buf_.size() : nl) - pos_;
      if (length > max_)
        return Invalid("line " + std::to_string(number_ + 1) + " is longer than --max-line (" +
                       std::to_string(max_) + " bytes)");
      if (nl != std::string::npos) {
        std::string_view line(buf_.data() + pos_, nl - pos_);
        pos_ = nl + 1;
        ++number_;
        return std::optional(line);
      }
      if (eof_) {
        if (pos_ == buf_.size()) return std::optional<std::string_view>();
        std::string_view last(buf_.data() + pos_, buf_.size() - pos_);
        pos_ = buf_.size();
        ++number_;
        return std::optional(last);
      }
      buf_.erase(0, pos_);
      pos_ = 0;
      size_t have = buf_.size();
      buf_.resize(have + kRead);
      in_.read(buf_.data() + have, kRead);
      buf_.resize(have + static_cast<size_t>(in_.gcount()));
      eof_ = !in_;
    }
  }
  size_t number() const { return number_; }

 private:
  static constexpr size_t kRead = size_t{1} << 20;
  std::istream& in_;
  size_t max_;
  std::string buf_;
  size_t pos_ = 0, number_ = 0;
  bool eof_ = false;
};

}  // namespace weft::cli
