#include "domain/session_cache.hpp"

namespace slotlock {

std::optional<user> session_cache::find(const std::string& token_hash, time_point now) const {
  std::lock_guard g(mutex_);
  const auto it = by_hash_.find(token_hash);
  if (it == by_hash_.end() || it->second.expires_at <= now) return std::nullopt;
  return it->second.who;
}

std::uint64_t session_cache::generation() const {
  std::lock_guard g(mutex_);
  return generation_;
}

void session_cache::keep(const std::string& token_hash, const session_user& s, std::uint64_t since, time_point now) {
  std::lock_guard g(mutex_);
  if (since != generation_) return;
  if (by_hash_.size() >= capacity_ && !by_hash_.contains(token_hash)) {
    // Full: ended sessions go first; if all are open, one goes (it is read again when used).
    std::erase_if(by_hash_, [&](const auto& entry) { return entry.second.expires_at <= now; });
    if (by_hash_.size() >= capacity_) by_hash_.erase(by_hash_.begin());
  }
  by_hash_.insert_or_assign(token_hash, s);
}

void session_cache::apply(const event& e) {
  std::lock_guard g(mutex_);
  if (const auto* ended = std::get_if<session_ended>(&e)) {
    ++generation_;
    if (ended->auth_session.empty())
      forget_user(ended->user_id);
    else
      by_hash_.erase(ended->auth_session);
  } else if (const auto* changed = std::get_if<user_changed>(&e)) {
    ++generation_;
    forget_user(changed->user_id);
  }
}

void session_cache::clear() {
  std::lock_guard g(mutex_);
  ++generation_;
  by_hash_.clear();
}

std::size_t session_cache::size() const {
  std::lock_guard g(mutex_);
  return by_hash_.size();
}

void session_cache::forget_user(const std::string& user_id) {
  std::erase_if(by_hash_, [&](const auto& entry) { return entry.second.who.id == user_id; });
}

}  // namespace slotlock
