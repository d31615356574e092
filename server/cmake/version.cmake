# Writes OUT, a header with the build's version: `git describe` of SRC at build time (a tag, the
# commits since it and the commit; "-dirty" with uncommitted changes), or PROJECT_VERSION outside
# a git checkout. Rewritten only when the text changes, so an unchanged version rebuilds nothing.
execute_process(
  COMMAND git -C "${SRC}" describe --tags --always --dirty
  OUTPUT_VARIABLE described
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET
  RESULT_VARIABLE failed)
if(failed OR described STREQUAL "")
  set(described "${FALLBACK}")
endif()
string(REGEX REPLACE "[^A-Za-z0-9._+-]" "_" described "${described}")
set(text "#pragma once\n// Written by cmake/version.cmake at build time.\nnamespace slotlock {\ninline constexpr const char* build_version = \"${described}\";\n}  // namespace slotlock\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
