// A deliberate mistake for the layer check's own test: the transport reaching into the store.
#include "store/sqlite_store.hpp"
