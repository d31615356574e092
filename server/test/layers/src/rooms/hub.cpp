// A deliberate mistake for the layer check's own test: the rooms reaching for Beast.
#include <boost/beast/websocket/stream.hpp>
