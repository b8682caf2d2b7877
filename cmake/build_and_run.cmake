# cmake -DSOURCE=<dir> -DBINARY=<dir> -DPROGRAM=<name> [-DARGS=<-D...;...>]
#       [-DINSTALL_FROM=<build dir> -DINSTALL_TO=<prefix>] [-DNO_BMIS=ON] -P build_and_run.cmake
# Installs INSTALL_FROM into INSTALL_TO when given, configures and builds the project in SOURCE
# into BINARY (with NO_BMIS, failing if that build made any BMI), then runs BINARY/PROGRAM.
if(INSTALL_FROM)
  file(REMOVE_RECURSE "${INSTALL_TO}")
  execute_process(COMMAND "${CMAKE_COMMAND}" --install "${INSTALL_FROM}" --prefix "${INSTALL_TO}"
                  OUTPUT_QUIET RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "installing ${INSTALL_FROM} failed")
  endif()
endif()
file(REMOVE_RECURSE "${BINARY}")
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${BINARY}" -G Ninja ${ARGS}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "configuring ${SOURCE} failed")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BINARY}" -j 2 RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "building ${SOURCE} failed")
endif()
if(NO_BMIS)
  file(GLOB_RECURSE bmis "${BINARY}/*.pcm" "${BINARY}/*.bmi") # CMake names the BMIs it builds for installed modules .bmi
  if(bmis)
    message(FATAL_ERROR "building ${SOURCE} built BMIs it should have found installed: ${bmis}")
  endif()
endif()
execute_process(COMMAND "${BINARY}/${PROGRAM}" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${status}")
endif()
