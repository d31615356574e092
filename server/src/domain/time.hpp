#pragma once
// Time in slotlock: wall-clock milliseconds (UTC). Stored as integers, shown as
// ISO-8601 with milliseconds and a trailing Z.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slotlock {

using time_point = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;
using std::chrono::milliseconds;
using std::chrono::seconds;

class clock {
 public:
  virtual ~clock() = default;
  virtual time_point now() const = 0;
};

class system_clock final : public clock {
 public:
  time_point now() const override {
    return std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
  }
};

// A clock that moves only when told to; for tests.
class manual_clock final : public clock {
 public:
  explicit manual_clock(time_point start) : now_(start) {}
  time_point now() const override { return now_; }
  void advance(milliseconds d) { now_ += d; }
  void set(time_point t) { now_ = t; }

 private:
  time_point now_;
};

inline std::int64_t to_millis(time_point t) { return t.time_since_epoch().count(); }
inline time_point from_millis(std::int64_t ms) { return time_point(milliseconds(ms)); }

// "2026-11-28T09:30:00.000Z"
std::string format_iso(time_point t);

// Accepts "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z" or "+hh:mm"/"-hh:mm".
std::optional<time_point> parse_iso(std::string_view text);

}  // namespace slotlock
