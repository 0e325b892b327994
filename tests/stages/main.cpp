// main() of the stage test programs. GoogleTest's own main prints a banner,
// and GoogleMock warns about every call a test did not EXPECT_CALL; the stage
// tests read the mocks' history instead, so both are noise for a student.
// A crash inside a student's logic gets a hint (see explain_crashes).

#include <gmock/gmock.h>

#include "logic_testing.hpp"

int main(int argc, char** argv) {
  GMOCK_FLAG_SET(verbose, "error");
  stage_testing::explain_crashes(argc > 0 ? argv[0] : nullptr);
  ::testing::InitGoogleMock(&argc, argv);
  return RUN_ALL_TESTS();
}
