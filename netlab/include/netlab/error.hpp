#pragma once
// netlab::Error: the one error type of the library.
//
// Every failure the network can cause reaches logic code as a netlab::Error:
// its what() is a sentence for a student (what was being done, what went
// wrong, what to try), and code() is the libuv error code behind it
// (UV_ECONNREFUSED, UV_EADDRINUSE, UV_EOF, ...; see https://docs.libuv.org/en/v1.x/errors.html).

#include <stdexcept>
#include <string>
#include <string_view>

namespace netlab {

class Error : public std::runtime_error {
 public:
  // `code` is a libuv error code (negative); `message` is the full sentence.
  Error(int code, const std::string& message);

  [[nodiscard]] int code() const noexcept { return code_; }

 private:
  int code_;
};

// Throws Error(code, "<attempted>: <libuv's description of code>").
[[noreturn]] void throw_uv_error(int code, std::string_view attempted);

}  // namespace netlab
