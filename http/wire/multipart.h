// multipart/form-data bodies (RFC 7578 over RFC 2046), as the SDKs send
// file uploads: weft reads the whole body itself rather than through the
// HTTP library, so that every form the RFCs allow is taken
// (docs/http-api.md#file-uploads).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace weft::http {

struct FormPart {
  std::string name;      // Content-Disposition's name
  std::string filename;  // filename* (decoded) over filename; "" when neither
  bool has_filename = false;
  std::string content_type;  // "" when the part has none
  std::string_view data;     // into the body
};

// The boundary of a `multipart/form-data; boundary=...` Content-Type.
Result<std::string> MultipartBoundary(std::string_view content_type);

// The parts of a body: a preamble before the first delimiter and an
// epilogue after the close delimiter are ignored, the close delimiter may
// end the body without CRLF, and delimiter lines may carry trailing
// spaces. A body without a close delimiter, or a part without the blank
// line that ends its headers, is an error.
Result<std::vector<FormPart>> ParseMultipart(std::string_view body, std::string_view boundary);

// The first part of that name, or nullptr.
const FormPart* FindPart(const std::vector<FormPart>& parts, std::string_view name);

}  // namespace weft::http
