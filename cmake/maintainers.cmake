# The maintainers' part of the build: benchmarks, fuzz targets, and the tests
# of the library and of the kit's tools. A student bundle has none of it
# (tools/netlab-release leaves this file and these folders out).

option(NETLAB_BENCH "Build the benchmarks (bench/)" OFF)
option(NETLAB_FUZZ "Build the libFuzzer targets (fuzz/); they need clang: use the fuzz preset, or fuzz/run" OFF)

if(NETLAB_TESTS)
  add_subdirectory(tests/netlab)
  add_subdirectory(tests/faults)
  add_subdirectory(tests/tools)
  add_subdirectory(tests/grader)
endif()
if(NETLAB_BENCH)
  add_subdirectory(bench)
endif()
if(NETLAB_FUZZ)
  add_subdirectory(fuzz)
endif()
