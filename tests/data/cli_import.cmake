# Runs `arbiter data import` on the committed data/raw into WORK_DIR and compares every file it
# writes with the committed copy under scenarios/.
file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(COMMAND "${ARBITER}" data import --raw "${SOURCE_DIR}/data/raw" --out "${WORK_DIR}"
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "arbiter data import failed (${result}):\n${output}\n${errors}")
endif()
file(GLOB_RECURSE generated RELATIVE "${WORK_DIR}" "${WORK_DIR}/*.csv")
list(LENGTH generated count)
if(count LESS 40)
  message(FATAL_ERROR "arbiter data import wrote only ${count} files")
endif()
foreach(relative IN LISTS generated)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${WORK_DIR}/${relative}"
                          "${SOURCE_DIR}/scenarios/${relative}" RESULT_VARIABLE differs)
  if(NOT differs EQUAL 0)
    message(FATAL_ERROR "scenarios/${relative} differs from what `arbiter data import` writes; "
                        "regenerate with `arbiter data import` and commit")
  endif()
endforeach()
message(STATUS "${count} derived files identical")
