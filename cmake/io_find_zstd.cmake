# io_find_zstd.cmake — finds libzstd for io.compress by its header and library, as the imported
# target io_zstd::zstd: zstd's own CMake config names its targets differently from version to
# version (Debian 12's has zstd::libzstd_shared, newer ones zstd::libzstd) and some systems ship
# none. Included by io's build and by the installed ioConfig.cmake.
set(io_zstd_FOUND TRUE)
if(NOT DEFINED io_zstd_message_mode)
  set(io_zstd_message_mode FATAL_ERROR)
endif()
if(NOT TARGET io_zstd::zstd)
  find_path(IO_ZSTD_INCLUDE_DIR zstd.h)
  find_library(IO_ZSTD_LIBRARY NAMES zstd)
  if(NOT IO_ZSTD_INCLUDE_DIR OR NOT IO_ZSTD_LIBRARY)
    set(io_zstd_FOUND FALSE)
    message(${io_zstd_message_mode} "io.compress needs libzstd (Debian: apt-get install libzstd-dev)")
    return()
  endif()
  add_library(io_zstd::zstd UNKNOWN IMPORTED)
  set_target_properties(io_zstd::zstd PROPERTIES
    IMPORTED_LOCATION "${IO_ZSTD_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${IO_ZSTD_INCLUDE_DIR}")
endif()
