#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>

#include "app/application.hpp"
#include "app/config.hpp"
#include "app/user_command.hpp"
#include "http/access_log.hpp"
#include "store/open_store.hpp"

int main(int argc, char** argv) {
  auto parsed = slotlock::parse_command_line(argc, argv);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  const auto& cmd = std::get<slotlock::command_line>(parsed);

  slotlock::start_logging(cmd.server.log_format == "json" ? slotlock::log_format::json : slotlock::log_format::text,
                          spdlog::level::from_str(cmd.server.log_level));
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
