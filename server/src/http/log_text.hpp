#pragma once
// Client-supplied text (request targets, methods, e-mails, X-Forwarded-For, sessionIds) as it
// may appear in a log line: a client must never be able to start a line of its own, move the
// cursor of the terminal that tails the log, or make the line unreadable.

#include <cstddef>
#include <string>
#include <string_view>

namespace slotlock {

// Longest slice of client text kept in one log line; the rest is summarised by its size.
inline constexpr std::size_t log_text_limit = 256;

// Valid UTF-8 is kept, except C0 and C1 control characters and DEL; those, every byte of an
// invalid sequence, and the backslash (so that the escape cannot be forged) become `\xNN`.
// At most `limit` input bytes are shown; a longer text ends in "…(+N bytes)".
std::string log_text(std::string_view s, std::size_t limit = log_text_limit);

}  // namespace slotlock
