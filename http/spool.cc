// Response bodies spooled in memory, then in a temporary file.
#include "http/spool.h"

namespace weft::http {

Spool::~Spool() {
  if (file_) std::fclose(file_);
}

bool Spool::Write(std::string_view bytes) {
  if (!file_ && memory_.size() + bytes.size() > kInMemory) {
    file_ = std::tmpfile();  // in $TMPDIR, unlinked: gone with the process
    if (!file_ || std::fwrite(memory_.data(), 1, memory_.size(), file_) != memory_.size())
      return false;
    std::string().swap(memory_);
  }
  if (file_) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) return false;
  } else {
    memory_.append(bytes);
  }
  size_ += bytes.size();
  return true;
}

bool Spool::ForEachPiece(const std::function<bool(std::string_view)>& send) {
  if (!file_) return send(memory_);
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) return false;
  char buf[256 * 1024];
  while (size_t got = std::fread(buf, 1, sizeof buf, file_))
    if (!send({buf, got})) return false;
  return !std::ferror(file_);
}

}  // namespace weft::http
