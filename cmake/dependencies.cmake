# Everything comes from Debian packages (tools/deps.sh installs them); nothing is downloaded.

find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBUV REQUIRED IMPORTED_TARGET libuv>=1.44)
find_package(CLI11 REQUIRED CONFIG)
find_package(Threads REQUIRED)
if(NETLAB_TESTS)
  find_package(GTest REQUIRED CONFIG)
  include(GoogleTest)
  # The kit's tools (tools/netlab-*) that some tests run.
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
endif()
