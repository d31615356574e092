#include "app/descriptors.hpp"

#include <sys/resource.h>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace slotlock {

std::size_t connection_budget(std::size_t wanted) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return wanted;
  const rlim_t need = static_cast<rlim_t>(wanted + reserved_descriptors);
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < need) {
    // The soft limit is often 1024 while the hard one is far higher: take what is needed.
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max == RLIM_INFINITY ? need : std::min(need, lim.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= need) return wanted;
  const auto limit = static_cast<std::size_t>(lim.rlim_cur);
  const std::size_t fit = limit > 2 * reserved_descriptors ? limit - reserved_descriptors : limit / 2;
  spdlog::warn(
      "the descriptor limit ({}) leaves room for {} connections, not --max-connections {}: serving at most "
      "{} (raise LimitNOFILE / ulimit -n to allow more)",
      limit, fit, wanted, fit);
  return fit;
}

}  // namespace slotlock
