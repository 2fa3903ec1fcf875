// multipart/form-data (RFC 7578, RFC 2046 §5.1.1), read over the whole
// body; docs/http-api.md#file-uploads.
#include "http/wire/multipart.h"

#include "base/percent.h"
#include "http/wire/params.h"

namespace weft::http {
namespace {

constexpr size_t kMaxParts = 1000;

// RFC 8187 ext-value: charset'language'percent-encoded bytes. weft keeps
// the bytes as they are (UTF-8 is what every client sends).
Result<std::string> DecodeExtValue(std::string_view v) {
  size_t q1 = v.find('\''), q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return Invalid("filename*: expected charset'language'value");
  std::string out;
  for (size_t i = q2 + 1; i < v.size(); ++i) {
    if (v[i] != '%') {
      out += v[i];
      continue;
    }
    int hi = i + 2 < v.size() ? HexValue(v[i + 1]) : -1, lo = hi < 0 ? -1 : HexValue(v[i + 2]);
    if (lo < 0) return Invalid("filename*: a bad percent escape");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// Applies one header line of a part to it.
Status ReadPartHeader(std::string_view line, FormPart& part) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return Invalid("multipart: a part header without ':'");
  std::string name = Lower(line.substr(0, colon));
  std::string_view value = line.substr(colon + 1);
  if (name == "content-type") {
    size_t b = value.find_first_not_of(" \t"), e = value.find_last_not_of(" \t");
    part.content_type = b == std::string_view::npos ? "" : std::string(value.substr(b, e - b + 1));
  } else if (name == "content-disposition") {
    WEFT_ASSIGN(ParamHeader cd, ParseParamHeader(value, "multipart: Content-Disposition"));
    if (const std::string* n = cd.Param("name")) part.name = *n;
    if (const std::string* f = cd.Param("filename")) part.filename = *f, part.has_filename = true;
    if (const std::string* f = cd.Param("filename*")) {
      WEFT_ASSIGN(part.filename, DecodeExtValue(*f));
      part.has_filename = true;
    }
  }
  return Status::OK();
}

// After a delimiter's boundary, at `at`: transport padding, then CRLF.
// Answers the offset after the CRLF.
Result<size_t> DelimiterLineEnd(std::string_view body, size_t at) {
  while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
  if (body.compare(at, 2, "\r\n") != 0)
    return Invalid("multipart: a delimiter line not ended by CRLF");
  return at + 2;
}

}  // namespace

Result<std::string> MultipartBoundary(std::string_view content_type) {
  auto ct = ParseParamHeader(content_type, "Content-Type");
  if (!ct.ok() || ct->value != "multipart/form-data")
    return Invalid("expected a multipart/form-data body, got Content-Type '" +
                   std::string(content_type) + "'");
  const std::string* boundary = ct->Param("boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70)
    return Invalid("Content-Type: multipart/form-data needs a boundary of 1 to 70 characters");
  return *boundary;
}

Result<std::vector<FormPart>> ParseMultipart(std::string_view body, std::string_view boundary) {
  const std::string dash = "--" + std::string(boundary), delimiter = "\r\n" + dash;
  // The first delimiter opens the body or follows a CRLF of the preamble.
  size_t at;
  if (body.starts_with(dash)) {
    at = dash.size();
  } else {
    size_t found = body.find(delimiter);
    if (found == std::string_view::npos)
      return Invalid("multipart: the body has no boundary '" + std::string(boundary) + "'");
    at = found + delimiter.size();
  }
  std::vector<FormPart> parts;
  while (true) {
    if (body.compare(at, 2, "--") == 0) return parts;  // the close delimiter; the rest is epilogue
    WEFT_ASSIGN(at, DelimiterLineEnd(body, at));
    if (parts.size() == kMaxParts) return Invalid("multipart: more than 1000 parts");
    FormPart part;
    while (body.compare(at, 2, "\r\n") != 0) {  // header lines, up to the blank line
      size_t eol = body.find("\r\n", at);
      if (eol == std::string_view::npos)
        return Invalid("multipart: a part's headers are not ended by a blank line");
      WEFT_TRY(ReadPartHeader(body.substr(at, eol - at), part));
      at = eol + 2;
    }
    at += 2;
    size_t end = body.find(delimiter, at);
    if (end == std::string_view::npos)
      return Invalid("multipart: a part is not closed by the boundary");
    part.data = body.substr(at, end - at);
    parts.push_back(std::move(part));
    at = end + delimiter.size();
  }
}

const FormPart* FindPart(const std::vector<FormPart>& parts, std::string_view name) {
  for (const FormPart& p : parts)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace weft::http
