# The course's stages. The top-level CMakeLists.txt names them in course
# order, one netlab_add_stage(<stage>) each; everything else about a stage is
# in its folders:
#
#   exercises/<stage>/<stage>.hpp          the stage header: what the student writes, in a handout's voice
#   exercises/<stage>/*.cpp                the logic files the student edits, with the markers
#   exercises/<stage>/programs/<role>.cpp  fixed drivers (main), one program per role
#   solutions/<stage>/*.cpp                the logic files completed; a student bundle has none
#   tests/<stage>/stage.json               the manifest: programs, logic files, tests and points
#   tests/<stage>/*.cpp                    unit tests (mocks) and end-to-end tests (real programs)
#   tests/<stage>/hidden/*.cpp             hidden tests: graded, never handed out
#
# A stage whose manifest says "builds_on": ["registry"] uses that earlier
# stage's header and logic: its programs and tests link the same variant of
# registry's logic (the student's own, or the solution), and in this
# repository its stubs are checked against registry's solution, so that each
# test fails for want of this stage's work, not the earlier one's.
#
# handouts/instructor.md documents the manifest; tools/netlab-stages checks
# that no piece of a stage is missing.
#
# Logic is built twice, as the exercise (the stubs, or a student's work) and
# as the solution, and for each variant:
#   programs  bin/<stage>_<role> from the exercise, bin/<stage>_<role>_solution
#   tests     tests/<stage>/<stage>_<variant>_<kind>, kind being unit, e2e,
#             hidden_unit or hidden_e2e; ctest names <stage>.<variant>.<Suite>.<Test>,
#             labels <stage>, <variant>, unit or e2e, and hidden for hidden tests
# plus the ctest <stage>.stubs_fail (every exercise test must fail on the
# stubs, with a message; for a stage that builds on others, the stubs linked
# with their solutions: programs bin/<stage>_<role>_stubs, tests
# <stage>_stubs_<kind>) when solutions/<stage> exists, and check_<stage>,
# which builds the student's programs and runs their tests.
#
# With NETLAB_GRADING, a stage's unit tests are also built to be graded
# (tests/grading/, handouts/instructor.md "Why a verdict cannot be forged"),
# in tests/<stage>/:
#   <stage>_logic_host                 the exercise's logic, run by a graded program
#   <stage>_graded_<kind>              the unit tests (kind unit or hidden_unit) with
#                                      proxies for the manifest's entry points: no student code
#   <stage>_solution_logic_host, <stage>_solution_graded_<kind>   the same for the solution
# A graded program starts <stage>_logic_host beside it (its solution twin
# starts the solution's), or the host NETLAB_LOGIC_HOST names.

# Default time limits, in seconds, of a test that the manifest gives none.
set(NETLAB_UNIT_TIME_LIMIT 10)
set(NETLAB_E2E_TIME_LIMIT 30)

# Sets `out` to the JSON array found at the keys after `json`, as a CMake
# list; empty when the manifest has no such key.
function(netlab_json_list out json)
  set(items "")
  string(JSON count ERROR_VARIABLE absent LENGTH "${json}" ${ARGN})
  if(NOT absent AND count GREATER 0)
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
      string(JSON item GET "${json}" ${ARGN} ${i})
      list(APPEND items "${item}")
    endforeach()
  endif()
  set(${out} "${items}" PARENT_SCOPE)
endfunction()

# Writes the script that gives the tests of `target` their labels and the
# manifest's time limits. gtest_discover_tests lists them only at test time,
# and flattens a list given in PROPERTIES, hence a script ctest reads after them.
function(netlab_discover_stage_tests target prefix default_limit labels json)
  gtest_discover_tests(${target} TEST_PREFIX ${prefix} TEST_LIST ${target}_tests
                       PROPERTIES TIMEOUT ${default_limit} ENVIRONMENT GTEST_BRIEF=1)
  set(script "set_tests_properties(\${${target}_tests} PROPERTIES LABELS \"${labels}\")\n")
  string(JSON count LENGTH "${json}" tests)
  math(EXPR last "${count} - 1")
  if(last GREATER_EQUAL 0)
    foreach(i RANGE ${last})
      string(JSON limit ERROR_VARIABLE none GET "${json}" tests ${i} time_limit)
      if(NOT none)
        string(JSON name GET "${json}" tests ${i} name)
        string(APPEND script "list(FIND ${target}_tests \"${prefix}${name}\" found)\nif(found GREATER -1)\n"
                             "  set_tests_properties(\"${prefix}${name}\" PROPERTIES TIMEOUT ${limit})\nendif()\n")
      endif()
    endforeach()
  endif()
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/${target}_properties.cmake "${script}")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${CMAKE_CURRENT_BINARY_DIR}/${target}_properties.cmake)
endfunction()

# Writes the proxies and the dispatcher of `stage`'s entry points into `dir`
# (tools/netlab-entry-points), at build time. An optional third argument is
# the root of the stage's kit, if not this one.
function(netlab_generate_entry_points stage dir)
  set(root ${PROJECT_SOURCE_DIR})
  if(ARGC GREATER 2)
    set(root ${ARGV2})
  endif()
  set(generator ${PROJECT_SOURCE_DIR}/tools/netlab-entry-points)
  # The entry points of the stages it builds on are generated with its own.
  set(inputs "")
  foreach(name IN LISTS bases ITEMS ${stage})
    list(APPEND inputs ${root}/tests/${name}/stage.json ${root}/exercises/${name}/${name}.hpp)
  endforeach()
  add_custom_command(
    OUTPUT ${dir}/${stage}_proxies.cpp ${dir}/${stage}_dispatch.cpp
    COMMAND Python3::Interpreter ${generator} ${stage} --out ${dir} --root ${root}
    DEPENDS ${generator} ${PROJECT_SOURCE_DIR}/tools/netlab_stages.py ${inputs}
    COMMENT "Generating the entry points of ${stage} for grading"
    VERBATIM)
endfunction()

# The graded unit tests of a stage and their logic hosts (see the top of this file).
function(netlab_add_graded_tests stage variants test_kinds)
  set(graded_kinds ${test_kinds})
  list(FILTER graded_kinds INCLUDE REGEX "unit$")
  if(NOT graded_kinds)
    return()
  endif()
  set(out ${PROJECT_BINARY_DIR}/tests/${stage})
  netlab_generate_entry_points(${stage} ${out}/generated)
  add_library(${stage}_proxies OBJECT ${out}/generated/${stage}_proxies.cpp)
  target_include_directories(${stage}_proxies PRIVATE ${include_dirs})  # netlab_add_stage's: this stage's and its bases' headers
  target_link_libraries(${stage}_proxies PRIVATE netlab_logic_proxy)

  set(checks "")
  foreach(variant IN LISTS variants)
    set(prefix ${stage}_)
    if(variant STREQUAL "solution")
      set(prefix ${stage}_solution_)
    endif()
    add_executable(${prefix}logic_host ${out}/generated/${stage}_dispatch.cpp)
    target_link_libraries(${prefix}logic_host PRIVATE ${stage}_${variant}_logic netlab_logic_host)
    set_target_properties(${prefix}logic_host PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${out})
    foreach(kind IN LISTS graded_kinds)
      set(graded ${prefix}graded_${kind})
      # No logic library here: the unit tests, the proxies and the kit's test code only.
      add_executable(${graded} $<TARGET_OBJECTS:${stage}_${kind}_objects> $<TARGET_OBJECTS:${stage}_proxies>
                               ${PROJECT_SOURCE_DIR}/tests/grading/default_host.cpp)
      target_compile_definitions(${graded} PRIVATE NETLAB_DEFAULT_LOGIC_HOST="${prefix}logic_host")
      target_link_libraries(${graded} PRIVATE netlab_logic_proxy netlab_stage_testing)
      # No dependency on the host either: a submission that does not compile
      # leaves the graded program buildable, its tests failing for want of a host.
      set_target_properties(${graded} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${out})
      list(APPEND checks ${variant} $<TARGET_FILE:${graded}> $<TARGET_FILE:${stage}_${variant}_${kind}>)
    endforeach()
  endforeach()

  # On the solution, every graded test passes; on the stubs, every one fails
  # with the very messages of the same test run in one process.
  if("solution" IN_LIST variants)
    add_test(NAME ${stage}.graded_like_in_process
             COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/tests/grading/check_graded.py alike ${checks})
    set_tests_properties(${stage}.graded_like_in_process PROPERTIES LABELS "grading;${stage}" TIMEOUT 300)
  endif()
endfunction()

function(netlab_add_stage stage)
  set(exercise_dir ${PROJECT_SOURCE_DIR}/exercises/${stage})
  set(solution_dir ${PROJECT_SOURCE_DIR}/solutions/${stage})
  set(test_dir ${PROJECT_SOURCE_DIR}/tests/${stage})
  set(manifest ${test_dir}/stage.json)
  if(NOT EXISTS ${manifest})
    message(FATAL_ERROR "stage ${stage}: no manifest at tests/${stage}/stage.json "
                        "(handouts/instructor.md, \"Adding a stage\", says what it holds)")
  endif()
  file(READ ${manifest} json)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${manifest})
  netlab_json_list(programs "${json}" programs)
  netlab_json_list(logic_files "${json}" logic)
  netlab_json_list(bases "${json}" builds_on)
  set(include_dirs ${exercise_dir})
  foreach(base IN LISTS bases)
    if(NOT TARGET ${base}_exercise_logic)
      message(FATAL_ERROR "stage ${stage} builds on ${base}: add netlab_add_stage(${base}) before it")
    endif()
    list(APPEND include_dirs ${PROJECT_SOURCE_DIR}/exercises/${base})
  endforeach()

  foreach(role IN LISTS programs)
    add_library(${stage}_${role}_main OBJECT ${exercise_dir}/programs/${role}.cpp)
    target_include_directories(${stage}_${role}_main PRIVATE ${include_dirs} ${PROJECT_SOURCE_DIR}/exercises/common)
    target_link_libraries(${stage}_${role}_main PRIVATE netlab::netlab CLI11::CLI11)
  endforeach()

  # Test files depend only on the stage header: each is compiled once, and
  # linked with each variant of the logic.
  set(test_kinds "")
  if(NETLAB_TESTS)
    foreach(kind unit e2e hidden_unit hidden_e2e)
      if(kind MATCHES "^hidden_(.*)")
        netlab_json_list(files "${json}" hidden ${CMAKE_MATCH_1})
        list(TRANSFORM files PREPEND ${test_dir}/hidden/)
      else()
        netlab_json_list(files "${json}" ${kind})
        list(TRANSFORM files PREPEND ${test_dir}/)
      endif()
      if(files)
        list(APPEND test_kinds ${kind})
        add_library(${stage}_${kind}_objects OBJECT ${files})
        target_link_libraries(${stage}_${kind}_objects PRIVATE netlab_stage_testing)
        target_include_directories(${stage}_${kind}_objects PRIVATE ${include_dirs})
      endif()
    endforeach()
  endif()

  set(variants exercise)
  if(EXISTS ${solution_dir})
    list(APPEND variants solution)
  endif()
  # The stubs on the earlier stages' solutions: built only for <stage>.stubs_fail.
  set(built_variants ${variants})
  if(bases AND EXISTS ${solution_dir})
    list(APPEND built_variants stubs)
  endif()
  foreach(variant IN LISTS built_variants)
    set(base_variant ${variant})
    if(variant STREQUAL "solution")
      set(logic_dir ${solution_dir})
      set(suffix _solution)
    elseif(variant STREQUAL "stubs")
      set(logic_dir ${exercise_dir})
      set(suffix _stubs)
      set(base_variant solution)
    else()
      set(logic_dir ${exercise_dir})
      set(suffix "")
    endif()

    set(logic ${stage}_${variant}_logic)
    list(TRANSFORM logic_files PREPEND ${logic_dir}/ OUTPUT_VARIABLE logic_sources)
    add_library(${logic} STATIC ${logic_sources})
    target_include_directories(${logic} PUBLIC ${include_dirs})
    target_link_libraries(${logic} PUBLIC netlab::netlab)
    # The same variant of the earlier stages' logic, linked wherever this one is.
    list(TRANSFORM bases APPEND _${base_variant}_logic OUTPUT_VARIABLE base_logic)
    target_link_libraries(${logic} INTERFACE ${base_logic})
    # Turns `*reply` on an empty optional (and similar slips) into an abort
    # that names the check, instead of undefined behaviour.
    target_compile_definitions(${logic} PRIVATE _GLIBCXX_ASSERTIONS)

    set(variant_programs "")
    foreach(role IN LISTS programs)
      add_executable(${stage}_${role}${suffix} $<TARGET_OBJECTS:${stage}_${role}_main>)
      target_link_libraries(${stage}_${role}${suffix} PRIVATE ${logic})
      list(APPEND variant_programs ${stage}_${role}${suffix})
    endforeach()

    foreach(kind IN LISTS test_kinds)
      set(tests ${stage}_${variant}_${kind})
      add_executable(${tests} $<TARGET_OBJECTS:${stage}_${kind}_objects>)
      target_link_libraries(${tests} PRIVATE netlab_stage_testing)
      set_target_properties(${tests} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests/${stage})
      set(labels "${stage};${variant}")
      if(kind MATCHES "e2e")
        # An end-to-end test program runs the student's programs and links none
        # of their code, so nothing a student writes can change its verdict.
        target_sources(${tests} PRIVATE ${PROJECT_SOURCE_DIR}/tests/stages/program_path.cpp)
        target_compile_definitions(${tests} PRIVATE NETLAB_PROGRAM_PREFIX="${PROJECT_BINARY_DIR}/bin/${stage}_"
                                                    NETLAB_PROGRAM_SUFFIX="${suffix}")
        add_dependencies(${tests} ${variant_programs})
        list(APPEND labels e2e)
        set(limit ${NETLAB_E2E_TIME_LIMIT})
      else()
        target_link_libraries(${tests} PRIVATE ${logic})
        list(APPEND labels unit)
        set(limit ${NETLAB_UNIT_TIME_LIMIT})
      endif()
      if(kind MATCHES "^hidden_")
        list(APPEND labels hidden)
      endif()
      if(variant STREQUAL "stubs")
        continue()  # run by <stage>.stubs_fail only: every one of them fails
      endif()
      netlab_discover_stage_tests(${tests} ${stage}.${variant}. ${limit} "${labels}" "${json}")
    endforeach()
  endforeach()

  if(NOT NETLAB_TESTS)
    return()
  endif()
  if(NETLAB_GRADING)
    netlab_add_graded_tests(${stage} "${variants}" "${test_kinds}")
  endif()

  # In this repository the exercises are the stubs: each of their tests must
  # fail, with a message, or it could not catch a student's missing work.
  if(EXISTS ${solution_dir})
    set(stubs_variant exercise)
    if("stubs" IN_LIST built_variants)
      set(stubs_variant stubs)
    endif()
    set(exercise_tests ${test_kinds})
    list(TRANSFORM exercise_tests REPLACE "(.+)" "$<TARGET_FILE:${stage}_${stubs_variant}_\\1>")
    add_test(NAME ${stage}.stubs_fail
             COMMAND ${CMAKE_COMMAND} -P ${PROJECT_SOURCE_DIR}/tests/stages/check_stubs.cmake ${exercise_tests})
    set_tests_properties(${stage}.stubs_fail PROPERTIES LABELS "${stage};stubs" TIMEOUT 300)
  endif()

  set(exercise_tests ${test_kinds})
  list(TRANSFORM exercise_tests PREPEND ${stage}_exercise_)
  add_custom_target(check_${stage}
    COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${PROJECT_BINARY_DIR} -L "^${stage}$" -L "^exercise$"
            --output-on-failure --timeout 30
    COMMENT "Testing your ${stage}: exercises/${stage}/"
    USES_TERMINAL VERBATIM)
  add_dependencies(check_${stage} ${exercise_tests})
endfunction()
