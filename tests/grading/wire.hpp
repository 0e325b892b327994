#pragma once
// The pipe protocol between a graded test program (trusted: the kit's tests
// and mocks, no student code) and a logic host (the student's logic). The
// test program calls the logic; while it runs, every call the logic makes on
// its Server or Client comes back to the test program, which makes it on the
// test's real mock and answers; the host ends each call with its outcome.
//
//   test program -> host   call:    entry point, object key, arguments
//   host -> test program   request: object handle, method, arguments   (any number of these)
//   test program -> host   reply:   outcome of that method
//   host -> test program   done:    what the logic printed, outcome of the call
//
// Each frame is a 4-byte little-endian length, then a kind byte, then fields;
// an outcome is "returned" and a value, or "threw" and the exception's kind,
// code and text. Both sides are built from the same sources, so the format
// needs no version; a frame that does not decode is garbage, and the call fails.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "netlab/server.hpp"
#include "netlab/task.hpp"

namespace logic_host {

// The largest frame either side accepts: more than any test sends, and a
// bound on what a host that lies about a length can make the test program hold.
inline constexpr std::uint32_t kMaxFrame = 16 * 1024 * 1024;

enum class FrameKind : std::uint8_t { call = 1, request, reply, done };

// What the host's remote Server and Client can ask of the test's mocks.
enum class ServerMethod : std::uint8_t { send_message, broadcast, clients, disconnect, peer_address, count };
enum class ClientMethod : std::uint8_t { send_message, receive_message, close, count };
enum class ObjectKind : std::uint8_t { server, client };

// A frame that does not decode.
class Garbage : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes a frame, or (default-constructed) fields to put in one.
class Writer {
 public:
  Writer() = default;
  explicit Writer(FrameKind kind);
  void u8(std::uint8_t value) { bytes_.push_back(static_cast<char>(value)); }
  void u64(std::uint64_t value);
  void bytes(std::string_view text);
  // The frame, its length filled in.
  std::string finish() &&;
  // The fields written (of a default-constructed Writer).
  [[nodiscard]] const std::string& fields() const noexcept { return bytes_; }

 private:
  std::string bytes_;
};

class Reader {
 public:
  // `body`: a frame without its length.
  explicit Reader(std::string_view body) : rest_(body) {}
  std::uint8_t u8();
  std::uint64_t u64();
  std::string bytes();
  FrameKind kind();
  // Throws Garbage unless every byte was read.
  void expect_end() const;

 private:
  std::string_view take(std::size_t size);
  std::string_view rest_;
};

// How a value of type T crosses the pipe. A type without a Codec cannot be
// a parameter or a result of an entry point; add one here when a stage needs it.
template <typename T>
struct Codec;

template <typename T>
concept Encodable = requires(Writer& out, Reader& in, const T& value) {
  Codec<T>::put(out, value);
  { Codec<T>::get(in) } -> std::same_as<T>;
};

template <typename T>
  requires std::integral<T> || std::is_enum_v<T>
struct Codec<T> {
  static void put(Writer& out, T value) { out.u64(static_cast<std::uint64_t>(value)); }
  static T get(Reader& in) {
    using Integer = std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::type_identity<T>>::type;
    const std::uint64_t raw = in.u64();
    const auto value = static_cast<Integer>(raw);
    if (static_cast<std::uint64_t>(value) != raw || (std::same_as<Integer, bool> && raw > 1)) {
      throw Garbage("an integer out of range");
    }
    return static_cast<T>(value);
  }
};

template <>
struct Codec<std::string> {
  static void put(Writer& out, const std::string& value) { out.bytes(value); }
  static std::string get(Reader& in) { return in.bytes(); }
};

template <>
struct Codec<netlab::ClientId> {
  static void put(Writer& out, netlab::ClientId id) { out.u64(id.value); }
  static netlab::ClientId get(Reader& in) { return netlab::ClientId{in.u64()}; }
};

template <>
struct Codec<netlab::Message> {
  static void put(Writer& out, const netlab::Message& message) {
    Codec<netlab::ClientId>::put(out, message.from);
    out.bytes(message.text);
  }
  static netlab::Message get(Reader& in) {
    auto from = Codec<netlab::ClientId>::get(in);
    return {from, in.bytes()};
  }
};

template <>
struct Codec<std::chrono::system_clock::time_point> {
  using TimePoint = std::chrono::system_clock::time_point;
  static void put(Writer& out, TimePoint time) { out.u64(static_cast<std::uint64_t>(time.time_since_epoch().count())); }
  static TimePoint get(Reader& in) {
    return TimePoint(TimePoint::duration(static_cast<TimePoint::rep>(in.u64())));
  }
};

template <Encodable T>
struct Codec<std::optional<T>> {
  static void put(Writer& out, const std::optional<T>& value) {
    Codec<bool>::put(out, value.has_value());
    if (value) Codec<T>::put(out, *value);
  }
  static std::optional<T> get(Reader& in) {
    if (Codec<bool>::get(in)) return Codec<T>::get(in);
    return std::nullopt;
  }
};

template <Encodable T>
struct Codec<std::vector<T>> {
  static void put(Writer& out, const std::vector<T>& values) {
    out.u64(values.size());
    for (const auto& value : values) Codec<T>::put(out, value);
  }
  static std::vector<T> get(Reader& in) {
    const std::uint64_t count = in.u64();
    if (count > kMaxFrame) throw Garbage("a list longer than a frame");
    std::vector<T> values;
    for (std::uint64_t i = 0; i < count; ++i) values.push_back(Codec<T>::get(in));
    return values;
  }
};

// Outcomes. An exception crosses as its kind (so that a test expecting
// std::invalid_argument still gets one), code (netlab::Error's) and text.
enum class ErrorKind : std::uint8_t {
  netlab_error,
  invalid_argument,
  out_of_range,
  logic_error,
  runtime_error,
  other_std_exception,
  not_std_exception,
};

// What an outcome's "threw" becomes when the exception was not a std::exception.
struct NotAStdException {};

// Writes "threw" and the exception being handled (call inside a catch block).
void put_current_exception(Writer& out);
// Reads the rest of a "threw" outcome and throws it.
[[noreturn]] void throw_error(Reader& in);

// The type an outcome carries for a call returning R: T for Task<T>.
template <typename R>
struct Unwrapped {
  using type = R;
};
template <typename T>
struct Unwrapped<netlab::Task<T>> {
  using type = T;
};

template <typename R>
inline constexpr bool is_task = !std::same_as<typename Unwrapped<R>::type, R>;

// Calls `call`, awaits what it returns if it is a Task (every co_await
// completing at once, as with mocks and with the other side's answers), and
// writes the outcome.
template <typename R, typename Call>
void put_outcome(Writer& out, Call&& call) {
  using Value = Unwrapped<R>::type;
  try {
    if constexpr (std::is_void_v<Value>) {
      if constexpr (is_task<R>) {
        netlab::run_sync(call());
      } else {
        call();
      }
      out.u8(0);
    } else {
      Value value = [&] {
        if constexpr (is_task<R>) {
          return netlab::run_sync(call());
        } else {
          return call();
        }
      }();
      out.u8(0);
      Codec<Value>::put(out, value);
    }
  } catch (...) {
    put_current_exception(out);
  }
}

// Reads an outcome: returns its value, or throws its exception.
template <typename Value>
Value get_outcome(Reader& in) {
  const std::uint8_t status = in.u8();
  if (status == 1) throw_error(in);
  if (status != 0) throw Garbage("an outcome that is neither returned nor threw");
  if constexpr (std::is_void_v<Value>) {
    in.expect_end();
  } else {
    Value value = Codec<Value>::get(in);
    in.expect_end();
    return value;
  }
}

}  // namespace logic_host
