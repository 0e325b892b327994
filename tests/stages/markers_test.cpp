// For every stage, the solution files (solutions/<stage>/) and the stubs
// (exercises/<stage>/) are byte-identical outside the student's regions: the
// lines from one holding `*** start ***` to the next holding `*** end ***`.
// One test per folder of solutions/, so a new stage is covered once its
// folders exist (tests are listed when ctest runs).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kSource{NETLAB_SOURCE_DIR};

std::vector<std::string> stages() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kSource / "solutions")) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::ranges::sort(names);
  return names;
}

std::vector<std::string> logic_files(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.ends_with("_logic.cpp")) names.push_back(name);
  }
  std::ranges::sort(names);
  return names;
}

// A line of a file with its number (from 1), for messages.
struct Line {
  std::size_t number;
  std::string text;
};

// The parts of a file outside its student regions, marker lines included.
// The last line is empty when the file ends with a newline, so that a missing
// final newline counts as a difference too.
struct Outside {
  std::vector<std::vector<Line>> parts;  // before the first region, between regions, after the last
  std::string problem;                   // a marker out of place, if any
};

Outside outside_regions(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  Outside result;
  result.parts.emplace_back();
  bool inside = false;
  std::size_t number = 0;
  for (std::size_t begin = 0; begin <= text.size();) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(begin, end - begin);
    begin = end + 1;
    ++number;
    const bool start = line.find("*** start ***") != std::string::npos;
    const bool stop = line.find("*** end ***") != std::string::npos;
    if ((start && inside) || (stop && !inside)) {
      result.problem = file.string() + ":" + std::to_string(number) + ": a marker out of place: " + line;
      return result;
    }
    if (start) {
      result.parts.back().push_back({number, line});
      inside = true;
    } else if (stop) {
      result.parts.emplace_back();
      result.parts.back().push_back({number, line});
      inside = false;
    } else if (!inside) {
      result.parts.back().push_back({number, line});
    }
  }
  if (inside) result.problem = file.string() + ": a `*** start ***` without its `*** end ***`";
  return result;
}

// Why `stub` and `solution` differ outside the regions; empty if they do not.
std::string difference(const fs::path& stub, const fs::path& solution) {
  const Outside a = outside_regions(stub);
  const Outside b = outside_regions(solution);
  if (!a.problem.empty()) return a.problem;
  if (!b.problem.empty()) return b.problem;
  if (a.parts.size() != b.parts.size()) {
    return "the stub has " + std::to_string(a.parts.size() - 1) + " student region(s), the solution " +
           std::to_string(b.parts.size() - 1);
  }
  if (a.parts.size() < 2) return "no student region (`*** start ***` ... `*** end ***`)";
  for (std::size_t part = 0; part < a.parts.size(); ++part) {
    const auto& x = a.parts[part];
    const auto& y = b.parts[part];
    for (std::size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
      if (i < x.size() && i < y.size() && x[i].text == y[i].text) continue;
      std::ostringstream out;
      out << "outside the student regions, ";
      if (i < x.size()) out << "line " << x[i].number << " of the stub is \"" << x[i].text << "\"";
      else out << "the stub has nothing";
      out << " where ";
      if (i < y.size()) out << "line " << y[i].number << " of the solution is \"" << y[i].text << "\"";
      else out << "the solution has nothing";
      return out.str();
    }
  }
  return "";
}

class Markers : public ::testing::TestWithParam<std::string> {};

TEST_P(Markers, StubsMatchSolutionsOutsideTheStudentRegions) {
  const fs::path exercises = kSource / "exercises" / GetParam();
  const fs::path solutions = kSource / "solutions" / GetParam();
  const auto stubs = logic_files(exercises);
  const auto solved = logic_files(solutions);
  EXPECT_FALSE(solved.empty()) << solutions << " has no *_logic.cpp";
  EXPECT_EQ(stubs, solved) << "exercises/" << GetParam() << " and solutions/" << GetParam()
                           << " must hold the same *_logic.cpp files";
  for (const auto& name : solved) {
    if (!fs::exists(exercises / name)) continue;  // reported just above
    const std::string why = difference(exercises / name, solutions / name);
    if (!why.empty()) {
      ADD_FAILURE() << "exercises/" << GetParam() << "/" << name << " and solutions/" << GetParam() << "/" << name
                    << " differ: " << why;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Stages, Markers, ::testing::ValuesIn(stages()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(StageFolders, EveryStageHasASolutionFolder) {
  for (const auto& entry : fs::directory_iterator(kSource / "exercises")) {
    const auto name = entry.path().filename();
    if (!entry.is_directory() || logic_files(entry.path()).empty()) continue;  // e.g. common/
    EXPECT_TRUE(fs::is_directory(kSource / "solutions" / name)) << "exercises/" << name.string()
                                                                 << " has logic stubs but no solutions/ folder";
  }
}

}  // namespace
