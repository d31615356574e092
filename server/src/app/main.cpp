#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>

#include "app/application.hpp"
#include "app/config.hpp"
#include "app/user_command.hpp"

int main(int argc, char** argv) {
  auto parsed = slotlock::parse_command_line(argc, argv);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  const auto& cmd = std::get<slotlock::command_line>(parsed);

  // Logs go to standard output, one line per event; flushed so that a
  // supervisor (or a test) sees "listening on" at once.
  auto logger = spdlog::stdout_logger_mt("slotlock");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(cmd.server.log_level));

  try {
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
