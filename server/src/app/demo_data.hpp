#pragma once

namespace slotlock {

class store;
class user_service;
class clock;

// The demo users of the README and a working day of appointments, added only
// where the store has none.
void seed_demo(store& s, user_service& users, const clock& c);

}  // namespace slotlock
