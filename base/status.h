// Error values for core and store. Every fallible function returns a Status
// or a Result<T>; "not found" and "invalid request" are ordinary outcomes,
// never exceptions. The CLI maps ErrorKind to an exit code in one place.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace weft {

enum class ErrorKind {
  kInvalid,  // the request fails validation (Weave's InvalidRequest); exit 2
  kModel,    // the request does not fit its model (pydantic's; HTTP 422); exit 2
  kField,    // a query or sort names an unknown field (Weave's InvalidFieldError; HTTP 403); exit 2
  kTooLarge,  // the request asks for too much at once (Weave's RequestTooLarge; HTTP 413); exit 2
  kNotFound,  // Weave's NotFoundError; exit 3
  kStore,     // the store or the system failed (I/O, corruption); exit 1
  kBusy,      // another process held the store's write lock too long; exit 1
};

// The exit code of an error kind (docs/command-line.md#exit-codes), for
// every program of weft: 2 invalid, 3 not found, 1 the rest.
inline bool IsInvalid(ErrorKind kind) {
  return kind == ErrorKind::kInvalid || kind == ErrorKind::kModel || kind == ErrorKind::kField ||
         kind == ErrorKind::kTooLarge;
}
inline int ExitCode(ErrorKind kind) {
  return IsInvalid(kind) ? 2 : kind == ErrorKind::kNotFound ? 3 : 1;
}

struct Error {
  ErrorKind kind;
  std::string message;
  // Weave's ObjectDeletedError: when the object read was deleted (RFC
  // 3339), answered beside the reason; "" for every other error.
  std::string deleted_at = {};
};

// Messages quote the values at fault; a huge one (a 10 MB digest) is cut
// from the middle, so that the message stays one readable line with its
// start (the field) and its end (what is wrong).
inline constexpr size_t kMaxMessage = 500;
inline std::string Readable(std::string m) {
  if (m.size() <= kMaxMessage) return m;
  auto boundary = [&](size_t i) {  // not inside a UTF-8 character
    while (i > 0 && (static_cast<unsigned char>(m[i]) & 0xC0) == 0x80) --i;
    return i;
  };
  size_t head = boundary(kMaxMessage * 2 / 3), tail = boundary(m.size() - kMaxMessage / 3);
  return m.substr(0, head) + " [... " + std::to_string(tail - head) + " bytes ...] " +
         m.substr(tail);
}

inline Error Invalid(std::string m) { return {ErrorKind::kInvalid, Readable(std::move(m))}; }
inline Error ModelError(std::string m) { return {ErrorKind::kModel, Readable(std::move(m))}; }
inline Error FieldError(std::string m) { return {ErrorKind::kField, Readable(std::move(m))}; }
inline Error TooLarge(std::string m) { return {ErrorKind::kTooLarge, Readable(std::move(m))}; }
inline Error NotFound(std::string m) { return {ErrorKind::kNotFound, Readable(std::move(m))}; }
inline Error StoreError(std::string m) { return {ErrorKind::kStore, Readable(std::move(m))}; }
inline Error Busy(std::string m) { return {ErrorKind::kBusy, Readable(std::move(m))}; }

// A value of T or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  T& operator*() { return std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Success, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}
  static Status OK() { return {}; }

  bool ok() const { return !error_; }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace weft

#define WEFT_CONCAT_(a, b) a##b
#define WEFT_CONCAT(a, b) WEFT_CONCAT_(a, b)

// Returns the error of a failed Status or Result from the enclosing function.
// A `for` whose body returns: one statement with no block (so it nests as
// the statement it stands for) and no `else` an outer `if` could take. A
// reference, so that a Result named by expr is not copied, its value too.
#define WEFT_TRY(expr) \
  for (auto&& weft_try_ = (expr); !weft_try_.ok();) return weft_try_.error()

// Declares `lhs` from a Result, or returns its error.
#define WEFT_ASSIGN(lhs, expr) WEFT_ASSIGN_(WEFT_CONCAT(weft_r_, __LINE__), lhs, expr)
#define WEFT_ASSIGN_(tmp, lhs, expr) \
  auto tmp = (expr);                 \
  if (!tmp.ok()) return tmp.error(); \
  lhs = std::move(*tmp)
