#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <iostream>

#include "app/application.hpp"
#include "app/config.hpp"
#include "app/user_command.hpp"
#include "store/open_store.hpp"

int main(int argc, char** argv) {
  auto parsed = slotlock::parse_command_line(argc, argv);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  const auto& cmd = std::get<slotlock::command_line>(parsed);

  // Logs go to standard output, one line per event, written by a thread of their own: a
  // request's access line costs the I/O thread a queue push, not a write(2). Output is
  // buffered and flushed at least once a second, at once for warnings and errors, and after
  // "listening on" (application.cpp) so that a supervisor or a test sees it. A full queue
  // makes loggers wait rather than lose lines. Drained at exit.
  spdlog::init_thread_pool(8192, 1);
  auto logger = std::make_shared<spdlog::async_logger>("slotlock", std::make_shared<spdlog::sinks::stdout_sink_mt>(),
                                                       spdlog::thread_pool(), spdlog::async_overflow_policy::block);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
  spdlog::set_level(spdlog::level::from_str(cmd.server.log_level));
  struct drain_at_exit {
    ~drain_at_exit() { spdlog::shutdown(); }
  } drain;

  try {
    if (cmd.backup.wanted) {
      try {
        slotlock::backup_store(cmd.server.db, cmd.backup.to);
      } catch (const std::exception& e) {
        std::cerr << "backup failed: " << e.what() << "\n";
        return 1;
      }
      std::cout << "backed up " << cmd.server.db << " to " << cmd.backup.to << " (integrity check: ok)\n";
      return 0;
    }
    if (cmd.user.what != slotlock::user_command::none) {
      spdlog::set_level(spdlog::level::warn);
      return slotlock::run_user_command(cmd.server, cmd.user);
    }
    return slotlock::run_server(cmd.server);
  } catch (const std::exception& e) {
    spdlog::critical("cannot start: {}", e.what());
    return 1;
  }
}
