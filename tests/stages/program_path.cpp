// Compiled into each end-to-end test program, with NETLAB_PROGRAM_PREFIX and
// NETLAB_PROGRAM_SUFFIX naming the variant it tests: ".../bin/pingpong1_" and
// "" (the student's programs) or "_solution"; the helpers' own tests run the
// toy stage's programs, ".../tests/stages/toy_".

#include "program_testing.hpp"

std::string stage_testing::program_path(std::string_view role) {
  return NETLAB_PROGRAM_PREFIX + std::string(role) + NETLAB_PROGRAM_SUFFIX;
}
