// main() of the stage test programs. GoogleTest's own main prints a banner,
// and GoogleMock warns about every call a test did not EXPECT_CALL; the stage
// tests read the mocks' history instead, so both are noise for a student.
// A crash inside a student's logic gets a hint (see explain_crashes).

#include <gmock/gmock.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "logic_testing.hpp"

namespace {

// With NETLAB_RECORD_DIR set (tools/check sets it), the programs each test
// starts record in a folder of the test's own, DIR/<Suite.Test>: a failing
// test's conversation can then be drawn (tools/netlab-diagram).
class RecordEachTestApart : public ::testing::EmptyTestEventListener {
 public:
  explicit RecordEachTestApart(std::filesystem::path base) : base_(std::move(base)) {}
  void OnTestStart(const ::testing::TestInfo& test) override {
    const auto folder = base_ / (std::string(test.test_suite_name()) + "." + test.name());
    std::filesystem::create_directories(folder);
    ::setenv("NETLAB_RECORD_DIR", folder.c_str(), 1);
  }
  void OnTestEnd(const ::testing::TestInfo&) override { ::setenv("NETLAB_RECORD_DIR", base_.c_str(), 1); }

 private:
  std::filesystem::path base_;
};

}  // namespace

int main(int argc, char** argv) {
  GMOCK_FLAG_SET(verbose, "error");
  stage_testing::explain_crashes(argc > 0 ? argv[0] : nullptr);
  ::testing::InitGoogleMock(&argc, argv);
  if (const char* base = std::getenv("NETLAB_RECORD_DIR"); base != nullptr && *base != '\0') {
    ::testing::UnitTest::GetInstance()->listeners().Append(new RecordEachTestApart(base));
  }
  return RUN_ALL_TESTS();
}
