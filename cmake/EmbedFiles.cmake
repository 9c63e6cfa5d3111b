# licmove_embed_files(TARGET NAMESPACE FILE...)
# Compiles each FILE into TARGET as a `std::string_view` constant so that the
# binaries carry their JSON Schemas and need nothing at run time. The constant
# for schemas/plan.v1.schema.json is NAMESPACE::kPlanV1SchemaJson.
function(licmove_embed_files target namespace)
  foreach(input IN LISTS ARGN)
    get_filename_component(stem ${input} NAME)
    string(MAKE_C_IDENTIFIER ${stem} ident)
    set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded_${ident}.cc)
    add_custom_command(
      OUTPUT ${output}
      COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DNAMESPACE=${namespace}
              -P ${CMAKE_SOURCE_DIR}/cmake/EmbedOne.cmake
      DEPENDS ${input} ${CMAKE_SOURCE_DIR}/cmake/EmbedOne.cmake
      COMMENT "Embedding ${stem}")
    target_sources(${target} PRIVATE ${output})
  endforeach()
endfunction()
