#pragma once
// Command-line flags and their SLOTLOCK_* environment variables (PRODUCT.md section 1).

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace slotlock {

struct server_config {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string db = "sqlite:data/slotlock.db";
  int lock_ttl = 300;
  int disconnect_grace = 15;
  int control_grace = 30;
  int offer_timeout = 60;         // seconds the head of the line has to take a lock offered to them
  std::string time_zone = "UTC";  // the clinic's (IANA): every time the web app shows is in it
  int ws_idle_timeout = 30;       // pinged after half of it, closed after all of it
  std::string static_dir;
  std::vector<std::string> allowed_origins;
  bool demo = false;
  double lock_rate = 5;
  int threads = 0;  // 0: one per core
  std::string log_level = "info";
  std::string log_format = "text";           // or json: one object a line
  int max_connections = 10'000;              // HTTP and WebSocket, then refused at once
  std::vector<std::string> trusted_proxies;  // CIDRs whose X-Forwarded-For names the client
  std::vector<std::string> metrics_allow;    // CIDRs that may read /metrics; empty: anyone
};

enum class user_command { none, add, list, set_role, disable, enable };

struct user_command_args {
  user_command what = user_command::none;
  std::string email;
  std::string name;
  std::string role = "user";
};

// `slotlock backup --to FILE`: an online copy of the --db SQLite database.
struct backup_args {
  bool wanted = false;
  std::string to;
};

struct command_line {
  server_config server;
  user_command_args user;
  backup_args backup;
};

// Whether `name` is an IANA time zone in this machine's database (/usr/share/zoneinfo).
bool known_time_zone(const std::string& name);

// Parses argv; on --help or a bad flag prints and returns the exit code.
std::variant<command_line, int> parse_command_line(int argc, char** argv);

}  // namespace slotlock
