# cmake -DSOURCE=<dir> -DBINARY=<dir> -DPROGRAM=<name> [-DARGS=<-D...;...>] -P build_and_run.cmake
# Configures and builds the project in SOURCE into BINARY, then runs BINARY/PROGRAM.
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
execute_process(COMMAND "${BINARY}/${PROGRAM}" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${status}")
endif()
