#include "netlab/trace.hpp"

#include <chrono>
#include <ctime>

namespace netlab {

std::string escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (byte >= 0x20 && byte < 0x7f) {
          out += c;
        } else {
          out += "\\x";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xf];
        }
    }
  }
  return out;
}

std::string in_quotes(std::string_view text) { return "\"" + escape(text) + "\""; }

std::string format_frame(Direction direction, std::string_view peer, std::string_view payload, bool hex) {
  std::string line = direction == Direction::sent ? "-> " : "<- ";
  line += peer;
  line += "  " + std::to_string(payload.size()) + (payload.size() == 1 ? " byte  \"" : " bytes  \"");
  line += escape(payload);
  line += "\"\n";
  if (hex) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (std::size_t row = 0; row < payload.size(); row += 16) {
      char offset[24];
      std::snprintf(offset, sizeof offset, "    %06zx ", row);
      line += offset;
      for (std::size_t i = row; i < row + 16 && i < payload.size(); ++i) {
        const auto byte = static_cast<unsigned char>(payload[i]);
        line += ' ';
        line += kHex[byte >> 4];
        line += kHex[byte & 0xf];
      }
      line += '\n';
    }
  }
  return line;
}

void trace_frame(const TraceOptions& options, Direction direction, std::string_view peer,
                 std::string_view payload) {
  if (!options.enabled) return;
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1'000'000;
  std::tm local{};
  localtime_r(&seconds, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
  const std::string text = format_frame(direction, peer, payload, options.hex);
  std::fprintf(options.out, "%s.%06lld  %s", stamp, static_cast<long long>(micros), text.c_str());
  std::fflush(options.out);
}

}  // namespace netlab
