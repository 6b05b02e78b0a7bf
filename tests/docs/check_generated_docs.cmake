# Regenerates docs/scenario.schema.json and docs/scenario-reference.md and fails if the
# committed files differ; the message says how to refresh them.
foreach(pair "scenario.schema.json;" "scenario-reference.md;--markdown")
  list(GET pair 0 name)
  list(LENGTH pair n)
  set(flag "")
  if(n GREATER 1)
    list(GET pair 1 flag)
  endif()
  execute_process(COMMAND ${ARBITER} schema ${flag} OUTPUT_FILE ${OUT_DIR}/${name} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "arbiter schema ${flag} failed with ${rc}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT_DIR}/${name} ${SOURCE_DIR}/docs/${name}
                  RESULT_VARIABLE differs)
  if(differs)
    message(FATAL_ERROR "docs/${name} is stale: regenerate it with `arbiter schema ${flag} > docs/${name}`")
  endif()
endforeach()
