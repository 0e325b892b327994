# The course's stages. Each is one call, netlab_add_stage(<stage>), plus its folders:
#
#   exercises/<stage>/server.cpp, client.cpp  fixed drivers (main), built once, linked twice
#   exercises/<stage>/<stage>.hpp             the stage header students read
#   exercises/<stage>/*_logic.cpp             the stubs a student completes
#   solutions/<stage>/*_logic.cpp             the same files completed; a student bundle has none
#   tests/<stage>/*_test.cpp                  mock-based unit tests of the logic...
#   tests/<stage>/e2e_test.cpp                ...and end-to-end tests of the programs
#
# It builds two variants of the logic, exercise (the stubs, or a student's
# work) and solution, and for each:
#   programs   <stage>_server, <stage>_client                     from exercises/
#              <stage>_server_solution, <stage>_client_solution   from solutions/
#   tests      <stage>_<variant>_tests (unit) and <stage>_<variant>_e2e, whose
#              ctest names start with <stage>.<variant>. and whose labels are
#              <stage>, <variant>, and unit or e2e
# plus, when solutions/<stage> exists, the ctest <stage>.stubs_fail (labels
# <stage>, stubs): every exercise test must fail on the stubs, with a message.
# check_<stage> builds the student's programs and runs their tests.

# Registers the GoogleTest tests of `target` with ctest, with several labels.
# gtest_discover_tests flattens a list given in PROPERTIES, so the labels are
# set by a script ctest reads after the discovered tests.
function(netlab_discover_stage_tests target prefix timeout labels)
  # GTEST_BRIEF: a failing test prints its failures, without GoogleTest's banners.
  gtest_discover_tests(${target} TEST_PREFIX ${prefix} TEST_LIST ${target}_tests
                       PROPERTIES TIMEOUT ${timeout} ENVIRONMENT GTEST_BRIEF=1)
  set(script ${CMAKE_CURRENT_BINARY_DIR}/${target}_labels.cmake)
  file(WRITE ${script} "set_tests_properties(\${${target}_tests} PROPERTIES LABELS \"${labels}\")\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${script})
endfunction()

function(netlab_add_stage stage)
  set(exercise_dir ${PROJECT_SOURCE_DIR}/exercises/${stage})
  set(solution_dir ${PROJECT_SOURCE_DIR}/solutions/${stage})
  set(test_dir ${PROJECT_SOURCE_DIR}/tests/${stage})

  file(GLOB logic_files CONFIGURE_DEPENDS RELATIVE ${exercise_dir} ${exercise_dir}/*_logic.cpp)
  if(NOT logic_files)
    message(FATAL_ERROR "stage ${stage}: no *_logic.cpp in ${exercise_dir}")
  endif()

  foreach(program server client)
    add_library(${stage}_${program}_main OBJECT ${exercise_dir}/${program}.cpp)
    target_include_directories(${stage}_${program}_main PRIVATE ${exercise_dir} ${PROJECT_SOURCE_DIR}/exercises/common)
    target_link_libraries(${stage}_${program}_main PRIVATE netlab::netlab CLI11::CLI11)
  endforeach()

  if(NETLAB_TESTS)
    # Unit tests depend only on the stage header: compiled once, linked with each variant.
    file(GLOB unit_tests CONFIGURE_DEPENDS ${test_dir}/*_test.cpp)
    list(FILTER unit_tests EXCLUDE REGEX "/e2e_test\\.cpp$")
    add_library(${stage}_unit_tests OBJECT ${unit_tests})
    target_link_libraries(${stage}_unit_tests PRIVATE netlab_stage_testing)
    target_include_directories(${stage}_unit_tests PRIVATE ${exercise_dir})
  endif()

  set(variants exercise)
  if(EXISTS ${solution_dir})
    list(APPEND variants solution)
  endif()
  foreach(variant IN LISTS variants)
    if(variant STREQUAL "solution")
      set(logic_dir ${solution_dir})
      set(suffix _solution)
    else()
      set(logic_dir ${exercise_dir})
      set(suffix "")
    endif()

    set(logic ${stage}_${variant}_logic)
    list(TRANSFORM logic_files PREPEND ${logic_dir}/ OUTPUT_VARIABLE logic_sources)
    add_library(${logic} STATIC ${logic_sources})
    target_include_directories(${logic} PUBLIC ${exercise_dir})
    target_link_libraries(${logic} PUBLIC netlab::netlab)
    # Turns `*reply` on an empty optional (and similar slips) into an abort
    # that names the check, instead of undefined behaviour.
    target_compile_definitions(${logic} PRIVATE _GLIBCXX_ASSERTIONS)

    foreach(program server client)
      add_executable(${stage}_${program}${suffix} $<TARGET_OBJECTS:${stage}_${program}_main>)
      target_link_libraries(${stage}_${program}${suffix} PRIVATE ${logic})
    endforeach()

    if(NETLAB_TESTS)
      set(unit ${stage}_${variant}_tests)
      add_executable(${unit} $<TARGET_OBJECTS:${stage}_unit_tests>)
      target_link_libraries(${unit} PRIVATE ${logic} netlab_stage_testing)

      set(e2e ${stage}_${variant}_e2e)
      add_executable(${e2e} ${test_dir}/e2e_test.cpp)
      target_include_directories(${e2e} PRIVATE ${exercise_dir})
      target_link_libraries(${e2e} PRIVATE netlab_stage_testing)
      target_compile_definitions(${e2e} PRIVATE SERVER_PROGRAM="$<TARGET_FILE:${stage}_server${suffix}>"
                                                CLIENT_PROGRAM="$<TARGET_FILE:${stage}_client${suffix}>")
      add_dependencies(${e2e} ${stage}_server${suffix} ${stage}_client${suffix})

      set_target_properties(${unit} ${e2e} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests/${stage})
      netlab_discover_stage_tests(${unit} ${stage}.${variant}. 10 "${stage};${variant};unit")
      netlab_discover_stage_tests(${e2e} ${stage}.${variant}. 30 "${stage};${variant};e2e")
    endif()
  endforeach()

  if(NOT NETLAB_TESTS)
    return()
  endif()

  # In this repository the exercises are the stubs: each of their tests must
  # fail, with a message, or it could not catch a student's missing work.
  if(EXISTS ${solution_dir})
    add_test(NAME ${stage}.stubs_fail
             COMMAND ${CMAKE_COMMAND} -P ${PROJECT_SOURCE_DIR}/tests/stages/check_stubs.cmake
                     $<TARGET_FILE:${stage}_exercise_tests> $<TARGET_FILE:${stage}_exercise_e2e>)
    set_tests_properties(${stage}.stubs_fail PROPERTIES LABELS "${stage};stubs" TIMEOUT 180)
  endif()

  add_custom_target(check_${stage}
    COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${PROJECT_BINARY_DIR} -L "^${stage}$" -L "^exercise$"
            --output-on-failure --timeout 30
    COMMENT "Testing your ${stage}: exercises/${stage}/*_logic.cpp"
    USES_TERMINAL VERBATIM)
  add_dependencies(check_${stage} ${stage}_exercise_tests ${stage}_exercise_e2e)
endfunction()
