#include "app/demo_data.hpp"

#include <spdlog/spdlog.h>

#include <array>

#include "domain/ids.hpp"
#include "domain/store.hpp"
#include "domain/user_service.hpp"

namespace slotlock {

namespace {

struct demo_user {
  const char* email;
  const char* name;
  const char* role;
  const char* password;
};

constexpr std::array<demo_user, 3> demo_users{{
    {"alice@example.com", "Alice Martin", "user", "alice-demo"},
    {"bob@example.com", "Bob Chen", "user", "bob-demo"},
    {"carol@example.com", "Carol Diaz", "admin", "carol-demo"},
}};

struct demo_appointment {
  int day;           // days from today
  int start_minute;  // minutes after 00:00 UTC
  int minutes;
  const char* title;
  const char* client;
  const char* email;
  const char* location;
  const char* notes;
  appointment_status status;
};

constexpr std::array<demo_appointment, 12> demo_appointments{{
    {1, 9 * 60, 30, "Dental check-up", "Maya Patel", "maya.patel@example.org", "Room 1",
     "First visit; bring previous X-rays.", appointment_status::confirmed},
    {1, 9 * 60 + 45, 60, "Root canal, session 2", "Tom Becker", "tom.becker@example.org", "Room 2",
     "Allergic to penicillin.", appointment_status::scheduled},
    {1, 11 * 60, 45, "Hair colour and cut", "Sofia Rossi", "sofia.rossi@example.org", "Chair 3",
     "Wants to go two shades lighter.", appointment_status::confirmed},
    {1, 13 * 60, 30, "Physiotherapy follow-up", "James O'Neill", "james.oneill@example.org", "Studio B",
     "Knee, week 4 of rehab.", appointment_status::scheduled},
    {1, 14 * 60 + 30, 60, "Tax consultation", "Amina Yusuf", "amina.yusuf@example.org", "Office 4",
     "Self-employed; quarterly filing.", appointment_status::scheduled},
    {1, 16 * 60, 20, "Vaccination", "Lucas Moreau", "lucas.moreau@example.org", "Room 1",
     "Travel vaccines: yellow fever.", appointment_status::confirmed},
    {2, 8 * 60 + 30, 45, "Teeth cleaning", "Hannah Schmidt", "hannah.schmidt@example.org", "Room 3", "",
     appointment_status::scheduled},
    {2, 10 * 60, 90, "Massage therapy", "Diego Alvarez", "diego.alvarez@example.org", "Studio A",
     "Lower back; prefers medium pressure.", appointment_status::scheduled},
    {2, 12 * 60 + 15, 30, "Eye examination", "Chloe Dubois", "chloe.dubois@example.org", "Room 5",
     "Wears contact lenses.", appointment_status::confirmed},
    {2, 15 * 60, 60, "Legal advice: lease", "Noah Williams", "noah.williams@example.org", "Office 2",
     "Bring the signed lease.", appointment_status::scheduled},
    {3, 9 * 60 + 30, 30, "Blood test", "Yuki Tanaka", "yuki.tanaka@example.org", "Lab", "Fasting since midnight.",
     appointment_status::cancelled},
    {3, 11 * 60, 60, "Nutrition coaching", "Grace Okafor", "grace.okafor@example.org", "Office 1",
     "Vegetarian meal plan.", appointment_status::scheduled},
}};

}  // namespace

void seed_demo(store& s, user_service& users, const clock& c) {
  std::optional<user> carol;
  for (const auto& d : demo_users) {
    auto existing = s.find_user_by_email(d.email);
    if (!existing) {
      auto added = users.add_demo({d.email, d.name, d.role, d.password});
      if (!added) throw std::runtime_error(std::string("could not add demo user ") + d.email);
      existing = *added;
      spdlog::info("demo user {} added", d.email);
    }
    if (existing->role == role::admin) carol = existing;
  }
  if (s.count_appointments() > 0) return;

  const auto today = std::chrono::floor<std::chrono::days>(c.now());
  for (const auto& d : demo_appointments) {
    appointment a;
    a.id = new_id();
    a.fields.title = d.title;
    a.fields.client_name = d.client;
    a.fields.client_email = d.email;
    a.fields.starts_at = today + std::chrono::days(d.day) + std::chrono::minutes(d.start_minute);
    a.fields.ends_at = a.fields.starts_at + std::chrono::minutes(d.minutes);
    a.fields.location = d.location;
    a.fields.notes = d.notes;
    a.fields.status = d.status;
    a.version = 1;
    a.updated_at = c.now();
    a.updated_by = ref_of(*carol);
    s.create_appointment(a);
  }
  spdlog::info("{} demo appointments added", demo_appointments.size());
}

}  // namespace slotlock
