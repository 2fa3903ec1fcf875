// The W&B GraphQL stub (docs/http-api.md#routes): the three operations
// the Python SDK sends at weave.init, answered so that it runs without an
// account; anything else answers a GraphQL error.
#pragma once

#include "base/json.h"

namespace weft::http {

// The {"data": ...} answer to one GraphQL request body.
Json GraphqlAnswer(const Json& request, const std::string& user);

}  // namespace weft::http
