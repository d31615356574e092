#pragma once
// Header parsing for static files: which content coding a client accepts (RFC 9110 §12.5.3)
// and whether a representation's entity tag matches If-None-Match (§13.1.2). Pure string work,
// no Beast, so that the rules can be tested on their own.

#include <optional>
#include <string_view>

namespace slotlock {

enum class content_coding { identity, gzip, br };

// Which precompressed copy to send. `accept_encoding` is every Accept-Encoding line joined with
// commas, nullopt when the request has none: then identity, although the RFC would allow any
// coding, because clients that send nothing (curl, probes, scripts) expect the file as it is.
// Highest q wins; ties go to br, then gzip, then identity. When even identity is refused
// (`identity;q=0` or `*;q=0`) and no copy is acceptable, identity is still sent: a 406 helps no
// browser.
content_coding choose_coding(std::optional<std::string_view> accept_encoding, bool have_br, bool have_gzip);

// True when If-None-Match (every line joined with commas) names `etag` (quoted, strong) under the
// weak comparison, or is "*": a GET or HEAD is then answered 304. A malformed list matches
// nothing after the fault.
bool none_match(std::string_view if_none_match, std::string_view etag);

}  // namespace slotlock
