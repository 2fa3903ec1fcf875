// Feedback rows as other methods read them (calls_query's include_feedback).
#pragma once

#include <string>
#include <unordered_map>

#include "base/json.h"
#include "store/txn.h"

namespace weft {

// The feedback of a project about its calls (weave_ref
// weave:///PROJECT/call/ID), by call id, each row with the fields Weave
// hydrates calls with: feedback_type, weave_ref, payload, creator,
// created_at, wb_user_id. Rows are in creation order.
Result<std::unordered_map<std::string, Json>> FeedbackByCall(Txn& txn, const std::string& project);

}  // namespace weft
