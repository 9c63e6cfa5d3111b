# Script mode: writes OUTPUT, a C++ file that defines the contents of INPUT as
# NAMESPACE::k<CamelCaseName> (plan.v1.schema.json -> kPlanV1SchemaJson).
file(READ ${INPUT} content HEX)
get_filename_component(stem ${INPUT} NAME)
string(REGEX REPLACE "[^A-Za-z0-9]+" ";" parts ${stem})
set(name "k")
foreach(part IN LISTS parts)
  string(SUBSTRING ${part} 0 1 first)
  string(TOUPPER ${first} first)
  string(SUBSTRING ${part} 1 -1 rest)
  string(APPEND name ${first}${rest})
endforeach()
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE ${OUTPUT}
  "// Generated from ${stem} by cmake/EmbedOne.cmake. Do not edit.\n"
  "#include <string_view>\n"
  "namespace ${NAMESPACE} {\n"
  "static const char kData[] = {${bytes} 0};\n"
  "extern const std::string_view ${name};\n"
  "const std::string_view ${name}(kData, sizeof(kData) - 1);\n"
  "}  // namespace ${NAMESPACE}\n")
