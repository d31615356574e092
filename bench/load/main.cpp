// slotload: the benchmark's load generator. One mode per run, one thread, a JSON result
// on standard output:
//   slotload http-lock|http-get|redis-lock|ws-fanout|ws-idle --port P [--name value]…
// (--port P1,P2,… for the closed-loop modes: connections round-robin over the ports)
// bench/run.py drives it; see there for what each run measures.

#include <sys/resource.h>

#include <cstdio>
#include <iostream>

#include "common.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: slotload MODE --port P [--name value]...\n";
    return 2;
  }
  slotload::options o;
  o.values["mode"] = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) {
      std::cerr << "slotload: expected --name, got " << k << "\n";
      return 2;
    }
    o.values[k.substr(2)] = argv[i + 1];
  }
  // Ten thousand sockets need more descriptors than the usual 1024.
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  try {
    const auto& mode = o.values["mode"];
    boost::json::object r;
    if (mode == "http-lock" || mode == "http-get" || mode == "redis-lock")
      r = slotload::run_closed_loop(o);
    else if (mode == "ws-fanout")
      r = slotload::run_ws_fanout(o);
    else if (mode == "ws-idle")
      r = slotload::run_ws_idle(o);
    else {
      std::cerr << "slotload: unknown mode " << mode << "\n";
      return 2;
    }
    std::cout << boost::json::serialize(r) << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "slotload: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
