#pragma once
// A deliberate mistake for the layer check's own test: the domain reaching for Asio.
#include <boost/asio/io_context.hpp>
