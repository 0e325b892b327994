#include "netlab/error.hpp"

#include <uv.h>

namespace netlab {

Error::Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}

void throw_uv_error(int code, std::string_view attempted) {
  throw Error(code, std::string(attempted) + ": " + uv_strerror(code));
}

}  // namespace netlab
