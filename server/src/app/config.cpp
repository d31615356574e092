#include "app/config.hpp"

#include <CLI/CLI.hpp>

#include <cctype>
#include <filesystem>

#include "build_version.hpp"

namespace slotlock {

namespace {

std::string time_zone_problem(const std::string& name) {
  return "\"" + name + "\" is not a time zone this machine knows (an IANA name such as Europe/Berlin; see " +
         "/usr/share/zoneinfo)";
}

}  // namespace

bool known_time_zone(const std::string& name) {
  if (name == "UTC") return true;
  // An IANA name: letters, digits and _+- in parts joined by "/"; never "." (no way out of the folder).
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '+' && c != '-') return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / name, ec);
}

std::variant<command_line, int> parse_command_line(int argc, char** argv) {
  command_line out;
  auto& s = out.server;
  CLI::App app{"slotlock: one editor per appointment, everyone else watching live."};
  app.fallthrough();
  app.set_version_flag("--version", std::string("slotlock ") + build_version, "Print the version and exit");
  // Every flag also from a file (TOML: `port = 8080`, `time-zone = "Europe/Berlin"`); the command
  // line and SLOTLOCK_* variables win over it.
  app.set_config("--config", "", "Read flags from this file (TOML; one `name = value` a line)")
      ->envname("SLOTLOCK_CONFIG");
  app.allow_config_extras(CLI::config_extras_mode::error);  // a misspelt name is an error, not ignored
  app.add_option("--host", s.host, "Address to listen on")->envname("SLOTLOCK_HOST")->capture_default_str();
  app.add_option("--port", s.port, "Port to listen on (0: any free port)")
      ->envname("SLOTLOCK_PORT")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--db", s.db, "Store: sqlite:PATH, or postgres://...")->envname("SLOTLOCK_DB")->capture_default_str();
  app.add_option("--lock-ttl", s.lock_ttl, "Seconds without activity before a lock expires")
      ->envname("SLOTLOCK_LOCK_TTL")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  app.add_option("--disconnect-grace", s.disconnect_grace,
                 "Seconds a holder's lost connection is waited for before release")
      ->envname("SLOTLOCK_DISCONNECT_GRACE")
      ->check(CLI::Range(0, 3600))
      ->capture_default_str();
  app.add_option("--ws-idle-timeout", s.ws_idle_timeout,
                 "Seconds a WebSocket may stay silent (pings unanswered) before it is closed")
      ->envname("SLOTLOCK_WS_IDLE_TIMEOUT")
      ->check(CLI::Range(2, 3600))
      ->capture_default_str();
  app.add_option("--control-grace", s.control_grace, "Seconds a holder has to answer a control request")
      ->envname("SLOTLOCK_CONTROL_GRACE")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--offer-timeout", s.offer_timeout,
                 "Seconds the head of the line has to take a freed lock before the next person is asked")
      ->envname("SLOTLOCK_OFFER_TIMEOUT")
      ->check(CLI::Range(2, 3600))
      ->capture_default_str();
  app.add_option("--time-zone", s.time_zone, "The clinic's time zone (IANA name, e.g. Europe/Berlin)")
      ->envname("SLOTLOCK_TIME_ZONE")
      ->check([](const std::string& name) { return known_time_zone(name) ? std::string() : time_zone_problem(name); })
      ->capture_default_str();
  app.add_option("--static", s.static_dir, "Folder of the built web app")->envname("SLOTLOCK_STATIC");
  app.add_option("--allowed-origin", s.allowed_origins, "Extra origin allowed to open WebSockets (repeatable)")
      ->envname("SLOTLOCK_ALLOWED_ORIGIN");
  app.add_flag("--demo", s.demo, "Seed demo users and appointments into an empty store")->envname("SLOTLOCK_DEMO");
  app.add_option("--lock-rate", s.lock_rate, "Lock attempts per second per user (bursts of six seconds' worth)")
      ->envname("SLOTLOCK_LOCK_RATE")
      ->check(CLI::Range(0.1, 1e6))
      ->capture_default_str();
  app.add_option("--threads", s.threads, "I/O threads (0: one per core)")
      ->envname("SLOTLOCK_THREADS")
      ->check(CLI::Range(0, 256));
  app.add_option("--max-connections", s.max_connections,
                 "Open connections (HTTP and WebSocket) past which new ones are closed at once")
      ->envname("SLOTLOCK_MAX_CONNECTIONS")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  app.add_option("--trusted-proxy", s.trusted_proxies,
                 "Address or CIDR of a reverse proxy whose X-Forwarded-For names the client (repeatable)")
      ->envname("SLOTLOCK_TRUSTED_PROXY");
  app.add_option("--metrics-allow", s.metrics_allow,
                 "Address or CIDR that may read /metrics (repeatable; without it, anyone who reaches the port)")
      ->envname("SLOTLOCK_METRICS_ALLOW");
  app.add_option("--log-level", s.log_level, "trace, debug, info, warn, error")
      ->envname("SLOTLOCK_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.add_option("--log-format", s.log_format, "text, or json (one object a line: time, level, request id, ...)")
      ->envname("SLOTLOCK_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  auto* user = app.add_subcommand("user", "Manage who can sign in (password read from standard input)");
  user->require_subcommand(1);
  auto& u = out.user;
  auto* add = user->add_subcommand("add", "Add a user; the password is read from standard input");
  add->add_option("--email", u.email, "E-mail to sign in with")->required();
  add->add_option("--name", u.name, "Name shown to others")->required();
  add->add_option("--role", u.role, "user or admin")->check(CLI::IsMember({"user", "admin"}))->capture_default_str();
  add->callback([&u] { u.what = user_command::add; });
  auto* list = user->add_subcommand("list", "List users");
  list->callback([&u] { u.what = user_command::list; });
  auto* set_role = user->add_subcommand("set-role", "Change a user's role");
  set_role->add_option("--email", u.email)->required();
  set_role->add_option("--role", u.role)->required()->check(CLI::IsMember({"user", "admin"}));
  set_role->callback([&u] { u.what = user_command::set_role; });
  auto* disable = user->add_subcommand("disable", "Stop a user from signing in; ends their sessions");
  disable->add_option("--email", u.email)->required();
  disable->callback([&u] { u.what = user_command::disable; });
  auto* enable = user->add_subcommand("enable", "Let a disabled user sign in again");
  enable->add_option("--email", u.email)->required();
  enable->callback([&u] { u.what = user_command::enable; });

  auto* backup = app.add_subcommand(
      "backup", "Copy the --db SQLite database to a new file, online (a server may be running), and check the copy");
  backup->add_option("--to", out.backup.to, "The new file (never overwritten)")->required();
  backup->callback([&out] { out.backup.wanted = true; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return out;
}

}  // namespace slotlock
