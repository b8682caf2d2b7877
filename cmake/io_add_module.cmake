include(GNUInstallDirs)

# Where the installed BMIs go: one directory per compiler, since no other compiler can load them.
set(IO_INSTALL_BMI_DIR "${CMAKE_INSTALL_LIBDIR}/io/bmi/${CMAKE_CXX_COMPILER_ID}-${CMAKE_CXX_COMPILER_VERSION}")

# io_add_module(<name> MODULE <module name> FILES <interface units...> [SOURCES <impl units...>]
#               [DEPENDS <targets...>] [LINKS <libraries...>])
# Adds the library target io_<name> with the alias io::<name>, its interface units in a
# CXX_MODULES file set, public dependencies (modules) and private ones (libraries its
# implementation units call); installs it into the export set io-targets.
function(io_add_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "FILES;SOURCES;DEPENDS;LINKS")
  set(target io_${name})
  add_library(${target})
  add_library(io::${name} ALIAS ${target})
  target_sources(${target}
    PUBLIC FILE_SET CXX_MODULES BASE_DIRS "${PROJECT_SOURCE_DIR}/modules" FILES ${arg_FILES}
    PRIVATE ${arg_SOURCES})
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_link_libraries(${target} PUBLIC ${arg_DEPENDS} PRIVATE ${arg_LINKS})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  if(IO_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # Coverage for the fuzzers (fuzz/) from io's own compiled code too, not only from the
    # templates a fuzz target instantiates: mode parsing, file calls, errors.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
  # The BMIs too, for io::prebuilt (ioConfig.cmake): CMake builds an installed module's BMIs
  # again in every consumer's build directory, since a BMI loads only into compilations by the
  # same compiler with the same language options; a consumer that has both can load these instead.
  install(TARGETS ${target} EXPORT io-targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          FILE_SET CXX_MODULES DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/io/modules
          CXX_MODULES_BMI DESTINATION ${IO_INSTALL_BMI_DIR})
endfunction()
