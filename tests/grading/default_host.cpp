// The logic host a graded test program starts, beside it, unless
// NETLAB_LOGIC_HOST names another: cmake/stages.cmake compiles this file into
// each graded program with the name of its own host.

namespace logic_host {

const char* default_host_name() { return NETLAB_DEFAULT_LOGIC_HOST; }

}  // namespace logic_host
