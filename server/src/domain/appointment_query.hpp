#pragma once
// The list's and the double-booking check's query parameters (PRODUCT.md section 2, "Finding,
// creating and removing appointments"): read from text, every bad value a 400 naming its
// parameter; and the list's opaque page cursor.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/appointment.hpp"
#include "domain/error.hpp"
#include "domain/time.hpp"

namespace slotlock {

// Every value given for a query parameter, in order (none: absent).
using query_values = std::function<std::vector<std::string>(std::string_view name)>;

inline constexpr int default_page_size = 100;
inline constexpr int max_page_size = 500;
inline constexpr std::size_t max_search_text = 200;

// `now` gives the default start: the beginning of its day (UTC).
result<appointment_query> read_list_query(const query_values& get, time_point now);
result<conflict_query> read_conflict_query(const query_values& get);

std::string encode_cursor(const list_position& p);
std::optional<list_position> decode_cursor(std::string_view text);

}  // namespace slotlock
