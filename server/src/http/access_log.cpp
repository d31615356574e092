#include "http/access_log.hpp"

#include <spdlog/async.h>
#include <spdlog/formatter.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>

#include "domain/text.hpp"
#include "http/log_text.hpp"
#include "http/metrics.hpp"

namespace slotlock {

namespace {

constexpr std::string_view access_logger_name = "access";
log_format current_format = log_format::text;
std::shared_ptr<spdlog::logger> access_logger;

// {"time":"…Z","level":"info", then the access line's members, or "msg":"…" for any other line.
class json_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    line_.clear();
    line_ += R"({"time":")";
    append_time(msg.time);
    line_ += R"(","level":")";
    const auto level = spdlog::level::to_string_view(msg.level);
    line_.append(level.data(), level.size());
    line_ += '"';
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    if (std::string_view(msg.logger_name.data(), msg.logger_name.size()) == access_logger_name) {
      line_ += ",\"msg\":\"request\",";
      line_ += payload;  // members rendered by log_access, already escaped
    } else {
      line_ += ",\"msg\":";
      append_json_string(line_, payload);
    }
    line_ += "}\n";
    dest.append(line_.data(), line_.data() + line_.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<json_formatter>(); }

 private:
  void append_time(spdlog::log_clock::time_point t) {
    const auto since = t.time_since_epoch();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since - secs).count();
    const std::time_t tt = secs.count();
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
    line_.append(buf, static_cast<std::size_t>(n));
  }

  std::string line_;
};

std::unique_ptr<spdlog::formatter> make_formatter(log_format format) {
  if (format == log_format::json) return std::make_unique<json_formatter>();
  return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
}

void append_member(std::string& out, std::string_view name, std::string_view text) {
  out += '"';
  out += name;
  out += "\":";
  append_json_string(out, text);
  out += ',';
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_sequence(text, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void start_logging(log_format format, spdlog::level::level_enum level) {
  // One writer thread for both loggers. Output is buffered and flushed at least once a second,
  // at once for warnings and errors, and after "listening on" (application.cpp) so that a
  // supervisor or a test sees it. A full queue makes loggers wait rather than lose lines.
  spdlog::init_thread_pool(8192, 1);
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  auto make = [&](std::string name) {
    auto logger = std::make_shared<spdlog::async_logger>(std::move(name), sink, spdlog::thread_pool(),
                                                         spdlog::async_overflow_policy::block);
    logger->set_formatter(make_formatter(format));
    logger->flush_on(spdlog::level::warn);
    logger->set_level(level);
    return logger;
  };
  current_format = format;
  spdlog::set_default_logger(make("slotlock"));
  access_logger = make(std::string(access_logger_name));
  spdlog::register_logger(access_logger);
  spdlog::flush_every(std::chrono::seconds(1));
  spdlog::set_level(level);
}

void log_access(const access_entry& e) {
  auto& logger = access_logger ? *access_logger : *spdlog::default_logger_raw();
  if (!logger.should_log(spdlog::level::info)) return;
  std::string line;
  line.reserve(256);
  if (current_format == log_format::json) {
    append_member(line, "requestId", e.request_id);
    append_member(line, "method", log_text(e.method, 32));
    append_member(line, "path", log_text(e.target));
    append_member(line, "route", e.route);
    line += "\"status\":" + std::to_string(e.status) + ',';
    char ms[32];
    const int n = std::snprintf(ms, sizeof ms, "%.3f", e.duration.count() * 1000);
    line += "\"durationMs\":";
    line.append(ms, static_cast<std::size_t>(n));
    line += ',';
    if (e.user_id.empty())
      line += "\"userId\":null,";
    else
      append_member(line, "userId", e.user_id);
    append_member(line, "client", log_text(e.client, 64));
    line.pop_back();  // the last comma
  } else {
    line = fmt::format("{} {} {} {} {:.1f}ms id={} user={} client={}", log_text(e.method, 32), log_text(e.target),
                       e.route, e.status, e.duration.count() * 1000, e.request_id, e.user_id.empty() ? "-" : e.user_id,
                       log_text(e.client, 64));
  }
  logger.info(line);
}

void answered(metrics& stats, const access_entry& e) {
  stats.record_request(e.method, e.route, e.status, e.duration);
  log_access(e);
}

}  // namespace slotlock
