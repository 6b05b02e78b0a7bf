# Warnings and sanitizers are INTERFACE targets linked PRIVATE, never global flags.
add_library(arbiter_warnings INTERFACE)
add_library(arbiter::warnings ALIAS arbiter_warnings)
target_compile_options(arbiter_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                       -Wimplicit-fallthrough -ffp-contract=off
                       $<$<BOOL:${ARBITER_WARNINGS_AS_ERRORS}>:-Werror>)

# GCC 12 reports false positives for std::string members of inlined temporaries and inside
# <regex> at -O2 (GCC bugs 105329, 105562): off for GCC < 13, so the build stays warning-free
# without hiding real warnings elsewhere. Clang checks the same code with both on.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(arbiter_warnings INTERFACE -Wno-maybe-uninitialized -Wno-restrict)
endif()

add_library(arbiter_sanitizers INTERFACE)
add_library(arbiter::sanitizers ALIAS arbiter_sanitizers)
if(ARBITER_SANITIZE)
  target_compile_options(arbiter_sanitizers INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=all
                         -fno-omit-frame-pointer)
  target_link_options(arbiter_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# arbiter_add_module(NAME SOURCES ... HEADERS ... DEPENDS ... PRIVATE_DEPENDS ... TESTS ...)
# One folder = one library target `arbiter_<name>` (alias arbiter::<name>) with co-located unit tests.
function(arbiter_add_module name)
  cmake_parse_arguments(MOD "" "" "SOURCES;HEADERS;DEPENDS;PRIVATE_DEPENDS;TESTS" ${ARGN})
  add_library(arbiter_${name} ${MOD_SOURCES})
  add_library(arbiter::${name} ALIAS arbiter_${name})
  target_sources(arbiter_${name} PUBLIC FILE_SET HEADERS BASE_DIRS ${PROJECT_SOURCE_DIR}/src FILES ${MOD_HEADERS})
  target_link_libraries(arbiter_${name} PUBLIC ${MOD_DEPENDS}
                        PRIVATE ${MOD_PRIVATE_DEPENDS} arbiter::warnings arbiter::sanitizers)
  if(ARBITER_BUILD_TESTS AND MOD_TESTS)
    add_executable(arbiter_${name}_test ${MOD_TESTS})
    target_link_libraries(arbiter_${name}_test PRIVATE arbiter::${name} ${MOD_PRIVATE_DEPENDS} GTest::gtest_main
                          arbiter::warnings arbiter::sanitizers)
    target_compile_definitions(arbiter_${name}_test PRIVATE ARBITER_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    gtest_discover_tests(arbiter_${name}_test TEST_PREFIX "${name}." PROPERTIES LABELS unit
                         DISCOVERY_TIMEOUT 60)
  endif()
endfunction()
