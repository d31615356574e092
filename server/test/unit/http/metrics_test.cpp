#include "http/metrics.hpp"

#include <gtest/gtest.h>

#include <string>

namespace slotlock::unit {
namespace {

TEST(metrics, known_methods_are_kept_others_are_other) {
  for (const char* m : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) EXPECT_EQ(method_label(m), m);
  EXPECT_EQ(method_label("get"), "other");
  EXPECT_EQ(method_label("PROPFIND"), "other");
  EXPECT_EQ(method_label(std::string(8000, 'X')), "other");
  EXPECT_EQ(method_label(""), "other");
}

TEST(metrics, many_unknown_methods_make_one_series) {
  metrics m;
  for (int i = 0; i < 1000; ++i)
    m.record_request(std::string(100, 'A') + std::to_string(i), "unmatched", 404, std::chrono::milliseconds(1));
  const auto text = m.render();
  EXPECT_NE(text.find(R"(slotlock_http_requests_total{route="unmatched",method="other",status="404"} 1000)"),
            std::string::npos)
      << text;
  EXPECT_LT(text.size(), 4096u);
}

}  // namespace
}  // namespace slotlock::unit
