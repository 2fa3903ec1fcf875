// Feedback rows as other methods read them (calls_query's include_feedback)
// and as import writes them.
#pragma once

#include <string>
#include <unordered_map>

#include "base/json.h"
#include "core/api/context.h"
#include "store/txn.h"

namespace weft {

// The feedback of a project about its calls (weave_ref
// weave:///PROJECT/call/ID), by call id, each row with the fields Weave
// hydrates calls with: feedback_type, weave_ref, payload, creator,
// created_at, wb_user_id. Rows are in creation order.
Result<std::unordered_map<std::string, Json>> FeedbackByCall(Txn& txn, const std::string& project);

// Stores feedback rows as feedback_query answers them (import, pull), each
// read as feedback_create_batch reads an item but ignoring fields it does
// not know, as a row from a newer server may have.
Status ImportFeedback(const Json& rows, Context& ctx);

}  // namespace weft
