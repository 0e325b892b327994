#include "netlab/record.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "netlab/error.hpp"

namespace netlab {

namespace {

std::int64_t microseconds_since_epoch() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1'000;
}

// The length of the UTF-8 sequence starting at text[i], or 0 if it is not a
// valid one (overlong forms, surrogates and code points past U+10FFFF are not).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;  // the range of the byte after the lead
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;   // overlong
    if (lead == 0xed) high = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;   // overlong
    if (lead == 0xf4) high = 0x8f;  // past U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = i + 2; k < i + length; ++k) {
    if (byte(k) < 0x80 || byte(k) > 0xbf) return 0;
  }
  return length;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string json_string(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xf];
        } else {
          out += c;  // UTF-8 passes through: JSON text is UTF-8
        }
    }
  }
  out += '"';
  return out;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      group = (group << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    }
    for (std::size_t k = 0; k < 4; ++k) {
      out += k <= n ? kAlphabet[(group >> (18 - 6 * k)) & 0x3f] : '=';
    }
  }
  return out;
}

Recorder::Recorder(const std::string& path, std::string program, Role role, Start start)
    : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (start == Start::afresh ? O_TRUNC : 0), 0644)),
      path_(path) {
  if (fd_ < 0) {
    const int error = errno;
    throw Error(uv_translate_sys_error(error), "cannot record to " + path + ": " + std::strerror(error));
  }
  identity_ = ",\"program\":" + json_string(program) + ",\"pid\":" + std::to_string(::getpid()) +
              ",\"role\":" + (role == Role::server ? "\"server\"" : "\"client\"");
}

Recorder::~Recorder() { ::close(fd_); }

void Recorder::listening(std::string_view address) {
  write("listen", ",\"address\":" + json_string(address));
}

void Recorder::joined(std::string_view peer, std::string_view address, std::string_view local) {
  peers_[std::string(address)] = std::string(peer);
  std::string fields = ",\"peer\":" + json_string(peer) + ",\"address\":" + json_string(address);
  if (!local.empty()) fields += ",\"local\":" + json_string(local);
  write("join", fields);
}

void Recorder::left(std::string_view address) {
  write("leave", peer_field(address));
  peers_.erase(std::string(address));
}

void Recorder::frame(Direction direction, std::string_view address, std::string_view payload) {
  std::string fields = peer_field(address) + ",\"length\":" + std::to_string(payload.size());
  fields += is_valid_utf8(payload) ? ",\"text\":" + json_string(payload) : ",\"base64\":\"" + base64(payload) + '"';
  write(direction == Direction::sent ? "sent" : "received", fields);
}

std::string Recorder::peer_field(std::string_view address) const {
  const auto found = peers_.find(std::string(address));
  return ",\"peer\":" + json_string(found != peers_.end() ? std::string_view(found->second) : address);
}

void Recorder::write(std::string_view event, std::string_view fields) {
  if (failed_) return;
  std::string line = "{\"t\":" + std::to_string(microseconds_since_epoch());
  line += identity_;
  line += ",\"event\":\"";
  line += event;
  line += '"';
  line += fields;
  line += "}\n";
  for (std::size_t written = 0; written < line.size();) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // The program goes on; its recording stops, and says where.
      std::fprintf(stderr, "cannot record to %s any more: %s\n", path_.c_str(), std::strerror(errno));
      failed_ = true;
      return;
    }
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace netlab
