# io_find_codecs.cmake — finds the codec libraries io.compress links that ship no CMake config
# usable across versions, by header and library, as imported targets: libzstd as io_zstd::zstd
# (zstd's own config names its targets differently from version to version: Debian 12's has
# zstd::libzstd_shared, newer ones zstd::libzstd) and ISA-L's igzip as io_isal::isal (gzip
# decoding, several times faster than zlib's inflate). Included by io's build and by the
# installed ioConfig.cmake; sets io_codecs_FOUND.
set(io_codecs_FOUND TRUE)
if(NOT DEFINED io_codecs_message_mode)
  set(io_codecs_message_mode FATAL_ERROR)
endif()

# io_find_codec(<target> <header> <library> <Debian package>)
function(io_find_codec target header library package)
  if(TARGET ${target})
    return()
  endif()
  string(MAKE_C_IDENTIFIER "${target}" id)
  find_path(IO_${id}_INCLUDE_DIR ${header})
  find_library(IO_${id}_LIBRARY NAMES ${library})
  if(NOT IO_${id}_INCLUDE_DIR OR NOT IO_${id}_LIBRARY)
    set(io_codecs_FOUND FALSE PARENT_SCOPE)
    message(${io_codecs_message_mode} "io.compress needs ${library} (Debian: apt-get install ${package})")
    return()
  endif()
  add_library(${target} UNKNOWN IMPORTED)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${IO_${id}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${IO_${id}_INCLUDE_DIR}")
endfunction()

io_find_codec(io_zstd::zstd zstd.h zstd libzstd-dev)
io_find_codec(io_isal::isal isa-l/igzip_lib.h isal libisal-dev)
