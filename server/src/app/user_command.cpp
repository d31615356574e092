#include "app/user_command.hpp"

#include <iostream>
#include <string>

#include "domain/events.hpp"
#include "domain/user_service.hpp"
#include "store/open_store.hpp"

namespace slotlock {

namespace {

void print_error(const error& e) {
  std::cerr << "error: " << e.message << "\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << " " << f.message << "\n";
}

int change(user_service& users, const std::string& email, const user_changes& changes, const char* done) {
  auto found = users.find_by_email(email);
  if (!found) {
    print_error(found.err());
    return 1;
  }
  auto changed = users.change(found->id, changes);
  if (!changed) {
    print_error(changed.err());
    return 1;
  }
  std::cout << changed->email << " " << done << "\n";
  return 0;
}

}  // namespace

int run_user_command(const server_config& cfg, const user_command_args& args) {
  auto db = open_store(cfg.db);
  system_clock clock;
  // On PostgreSQL the servers hear that a user was disabled and close their
  // sockets at once; a SQLite file is served by one process, which does not.
  auto bus = open_event_bus(cfg.db, *db);
  user_service users(*db, clock, *bus);
  switch (args.what) {
    case user_command::add: {
      // Never from the command line, where other users of the machine could read it.
      std::string password;
      std::getline(std::cin, password);
      if (!password.empty() && password.back() == '\r') password.pop_back();
      auto added = users.add({args.email, args.name, args.role, password});
      if (!added) {
        print_error(added.err());
        return 1;
      }
      std::cout << "added " << added->email << " (" << to_string(added->role) << ") id " << added->id << "\n";
      return 0;
    }
    case user_command::list:
      for (const auto& u : users.list())
        std::cout << u.email << "\t" << u.name << "\t" << to_string(u.role) << (u.disabled ? "\tdisabled" : "") << "\n";
      return 0;
    case user_command::set_role: return change(users, args.email, {.role = args.role}, ("is now " + args.role).c_str());
    case user_command::disable: return change(users, args.email, {.disabled = true}, "is disabled");
    case user_command::enable: return change(users, args.email, {.disabled = false}, "is enabled");
    case user_command::none: break;
  }
  return 2;
}

}  // namespace slotlock
