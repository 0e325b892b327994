# Checks that every test of the given GoogleTest programs fails on the stubs,
# and fails properly: it runs each test alone and wants it to report a failure
# with a message, not pass (it could not catch missing work), crash or hang.
#
#   cmake -P check_stubs.cmake <test program>...
#
# Prints each test's failure message, so a reviewer can read what a student
# with an empty stub will see.

set(timeout 20)  # seconds per test: the stage tests' own deadlines are shorter
set(problems "")
set(checked 0)

math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 3 ${last})
  set(program "${CMAKE_ARGV${i}}")
  execute_process(COMMAND ${program} --gtest_list_tests
                  RESULT_VARIABLE status OUTPUT_VARIABLE listing ERROR_VARIABLE listing TIMEOUT ${timeout})
  if(NOT status EQUAL 0)
    list(APPEND problems "${program} --gtest_list_tests failed (${status}): ${listing}")
    continue()
  endif()

  # The listing: "Suite." lines, each followed by "  Test" lines; either may end
  # with a comment ("  # GetParam() = ..."). Other lines (gmock_main's banner) are skipped.
  string(REPLACE "\n" ";" lines "${listing}")
  set(suite "")
  set(tests "")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "  #.*$" "" line "${line}")
    if(line MATCHES "^([^ ].*\\.)$")
      set(suite "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^  ([^ ]+)$" AND suite)
      list(APPEND tests "${suite}${CMAKE_MATCH_1}")
    endif()
  endforeach()
  if(NOT tests)
    list(APPEND problems "${program} has no tests")
  endif()

  foreach(test IN LISTS tests)
    math(EXPR checked "${checked} + 1")
    execute_process(COMMAND ${program} --gtest_filter=${test}
                    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output TIMEOUT ${timeout})
    # The failure messages: what follows each "file:line: Failure" line. A
    # semicolon would split them (a CMake list), so it is swapped out meanwhile.
    string(REPLACE ";" "<semicolon>" output "${output}")
    string(REGEX MATCHALL "[^\n]*: Failure\n[^\n]*\n[^\n]*" failures "${output}")
    if(status EQUAL 0)
      list(APPEND problems "${test} PASSES on the stubs: it cannot catch a student's missing work")
    elseif(NOT status EQUAL 1 OR NOT failures)
      list(APPEND problems "${test} did not fail with a message on the stubs (exit status: ${status}):\n${output}")
    else()
      message("${test} fails on the stubs, as it should:")
      foreach(failure IN LISTS failures)
        string(REGEX REPLACE "^[^\n]*\n(Failed\n)?" "" failure "${failure}")
        string(REPLACE "<semicolon>" ";" failure "${failure}")
        message("    ${failure}")
      endforeach()
    endif()
  endforeach()
endforeach()

if(problems)
  list(JOIN problems "\n" text)
  message(FATAL_ERROR "Some tests do not fail properly on the stubs:\n${text}\n"
                      "(This check is for the repository's stubs: after editing exercises/, it no longer applies.)")
endif()
message("All ${checked} tests fail on the stubs, each with a message.")
