# cmake -DPROGRAM=… -DARGS="a b c" -DOUTPUT=file [-DGZIP=gzip] -P RunToFile.cmake
# Runs PROGRAM with ARGS, its standard output to OUTPUT (gzip -9n'd when GZIP is given: no name,
# no time stamp, so the same input gives the same bytes). Fails when the program does.
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND ${PROGRAM} ${args} OUTPUT_FILE ${OUTPUT}.tmp RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} ${ARGS} failed (${rc}): ${err}")
endif()
if(GZIP)
    execute_process(COMMAND ${GZIP} -9n -c ${OUTPUT}.tmp OUTPUT_FILE ${OUTPUT} RESULT_VARIABLE rc)
    file(REMOVE ${OUTPUT}.tmp)
else()
    file(RENAME ${OUTPUT}.tmp ${OUTPUT})
endif()
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip failed for ${OUTPUT}")
endif()
