// RFC 3339 times (base/clock.h).
#include <doctest/doctest.h>

#include "base/clock.h"

using namespace weft;

TEST_CASE("times parse any offset and print UTC with microseconds") {
  CHECK(FormatTime(*ParseTime("2024-09-01T12:00:00Z")) == "2024-09-01T12:00:00.000000Z");
  CHECK(FormatTime(*ParseTime("2024-09-01T14:00:00.5+02:00")) == "2024-09-01T12:00:00.500000Z");
  CHECK(FormatTime(*ParseTime("2024-09-01 12:00:00.1234567")) == "2024-09-01T12:00:00.123456Z");
  CHECK(FormatTime(*ParseTime("1969-12-31T23:59:59.999999Z")) == "1969-12-31T23:59:59.999999Z");
  CHECK(FormatTime(*ParseTime("2024-02-29T00:00:00-05:30")) == "2024-02-29T05:30:00.000000Z");
  CHECK(*ParseTime("1970-01-01T00:00:01Z") == 1000000);
  for (const char* bad :
       {"", "2024-09-01", "2024-13-01T00:00:00Z", "2024-09-01T12:00:00Zjunk", "yesterday"})
    CHECK_FALSE(ParseTime(bad).has_value());
}
