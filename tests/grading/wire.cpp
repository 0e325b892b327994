#include "wire.hpp"

#include "netlab/error.hpp"

namespace logic_host {

Writer::Writer(FrameKind kind) : bytes_(4, '\0') { u8(static_cast<std::uint8_t>(kind)); }

void Writer::u64(std::uint64_t value) {
  for (int shift = 0; shift < 64; shift += 8) u8(static_cast<std::uint8_t>(value >> shift));
}

void Writer::bytes(std::string_view text) {
  u64(text.size());
  bytes_ += text;
}

std::string Writer::finish() && {
  const std::size_t length = bytes_.size() - 4;
  for (int i = 0; i < 4; ++i) bytes_[i] = static_cast<char>(length >> (8 * i));
  return std::move(bytes_);
}

std::string_view Reader::take(std::size_t size) {
  if (size > rest_.size()) throw Garbage("a frame shorter than its fields");
  const std::string_view taken = rest_.substr(0, size);
  rest_.remove_prefix(size);
  return taken;
}

std::uint8_t Reader::u8() { return static_cast<std::uint8_t>(take(1)[0]); }

std::uint64_t Reader::u64() {
  const std::string_view raw = take(8);
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<std::uint8_t>(raw[static_cast<std::size_t>(i)]);
  return value;
}

std::string Reader::bytes() {
  const std::uint64_t size = u64();
  if (size > rest_.size()) throw Garbage("a text longer than its frame");
  return std::string(take(size));
}

FrameKind Reader::kind() {
  const std::uint8_t kind = u8();
  if (kind < static_cast<std::uint8_t>(FrameKind::call) || kind > static_cast<std::uint8_t>(FrameKind::done)) {
    throw Garbage("a frame of an unknown kind");
  }
  return static_cast<FrameKind>(kind);
}

void Reader::expect_end() const {
  if (!rest_.empty()) throw Garbage("a frame longer than its fields");
}

void put_current_exception(Writer& out) {
  ErrorKind kind = ErrorKind::not_std_exception;
  std::int64_t code = 0;
  std::string what;
  try {
    throw;
  } catch (const netlab::Error& error) {
    kind = ErrorKind::netlab_error;
    code = error.code();
    what = error.what();
  } catch (const std::invalid_argument& error) {
    kind = ErrorKind::invalid_argument;
    what = error.what();
  } catch (const std::out_of_range& error) {
    kind = ErrorKind::out_of_range;
    what = error.what();
  } catch (const std::logic_error& error) {
    kind = ErrorKind::logic_error;
    what = error.what();
  } catch (const std::runtime_error& error) {
    kind = ErrorKind::runtime_error;
    what = error.what();
  } catch (const std::exception& error) {
    kind = ErrorKind::other_std_exception;
    what = error.what();
  } catch (...) {
  }
  out.u8(1);
  Codec<ErrorKind>::put(out, kind);
  Codec<std::int64_t>::put(out, code);
  out.bytes(what);
}

void throw_error(Reader& in) {
  const auto kind = Codec<ErrorKind>::get(in);
  const auto code = Codec<std::int64_t>::get(in);
  std::string what = in.bytes();
  in.expect_end();
  switch (kind) {
    case ErrorKind::netlab_error:
      throw netlab::Error(static_cast<int>(code), what);
    case ErrorKind::invalid_argument:
      throw std::invalid_argument(what);
    case ErrorKind::out_of_range:
      throw std::out_of_range(what);
    case ErrorKind::logic_error:
      throw std::logic_error(what);
    case ErrorKind::runtime_error:
    case ErrorKind::other_std_exception:  // its own type is unknown here; its text is what tests read
      throw std::runtime_error(what);
    case ErrorKind::not_std_exception:
      throw NotAStdException{};
  }
  throw Garbage("an exception of an unknown kind");
}

}  // namespace logic_host
