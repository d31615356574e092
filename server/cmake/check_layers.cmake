# Fails when a source includes a header of a layer it may not use (docs/adr/0013).
#   cmake -DSRC=<server/src> -P check_layers.cmake
# Each layer is a folder of src/; the lists say which project folders it may include.
cmake_minimum_required(VERSION 3.25)  # policies: IN_LIST

if(NOT SRC)
  message(FATAL_ERROR "check_layers: pass -DSRC=<the src folder>")
endif()

set(allowed_domain  domain)
set(allowed_store   domain store)
set(allowed_runtime domain runtime)
set(allowed_http    domain runtime http)
set(allowed_rooms   domain runtime http rooms)
set(allowed_ws      domain runtime http rooms ws)
set(allowed_app     domain runtime http rooms ws store app)
# Libraries a layer must not see at all: the domain is plain C++ (no I/O framework, no SQL).
set(banned_domain "boost/asio" "boost/beast" "sqlite3.h" "libpq-fe.h")
# The transport talks to services; the store's port is theirs alone.
set(banned_http "domain/store.hpp" "sqlite3.h" "libpq-fe.h")
set(banned_ws   "domain/store.hpp" "sqlite3.h" "libpq-fe.h")
# The rooms (who watches what, and what they are told) talk to members through an interface:
# they compile, and are unit-tested with fake members, without Beast.
set(banned_rooms "boost/beast" "domain/store.hpp" "sqlite3.h" "libpq-fe.h")

set(violations "")
file(GLOB layers RELATIVE ${SRC} ${SRC}/*)
foreach(layer IN LISTS layers)
  if(NOT IS_DIRECTORY ${SRC}/${layer})
    continue()
  endif()
  if(NOT DEFINED allowed_${layer})
    list(APPEND violations "src/${layer}/ is not a known layer: add it to check_layers.cmake")
    continue()
  endif()
  file(GLOB_RECURSE sources ${SRC}/${layer}/*.cpp ${SRC}/${layer}/*.hpp)
  foreach(source IN LISTS sources)
    file(STRINGS ${source} includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    file(RELATIVE_PATH shown ${SRC} ${source})
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"].*" "\\1" header "${line}")
      string(REGEX MATCH "^[^/]+" top "${header}")
      if(IS_DIRECTORY ${SRC}/${top} AND NOT top IN_LIST allowed_${layer})
        list(APPEND violations "src/${shown}: ${layer}/ may not include ${header}")
      endif()
      foreach(banned IN LISTS banned_${layer})
        string(FIND "${header}" "${banned}" at)
        if(at EQUAL 0)
          list(APPEND violations "src/${shown}: ${layer}/ may not include ${header}")
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "Includes that cross the layers (docs/adr/0013-request-path.md):\n  ${text}")
endif()
