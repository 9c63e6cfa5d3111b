// A JSON Schema compiled for one question, asked of every file licmove
// reads: is this document surely valid? For a valid 100,000-camera fleet
// valijson takes about a second (its visitor allocates as it walks, and
// std::regex searches each serial and key); this walk takes a small part of
// that. It answers "surely valid" or "not sure": only a file it is not sure
// of goes on to valijson, whose failures schema_check.cc words for the
// operator. So it may refuse a valid document, never accept an invalid one;
// tests/files/schema_fast_check_test.cc holds it to that on generated
// documents against valijson itself.
//
// It knows the keywords licmove's schemas use, with valijson's strong-type
// meaning (draft 7): type, const, enum, properties, required,
// additionalProperties (a boolean), items (one schema), minItems,
// uniqueItems, minLength, minimum, maximum, pattern, $ref to
// #/definitions/NAME, and the annotations. A schema with any other keyword
// does not compile, and every document then goes to valijson.
#pragma once

#include <memory>
#include <string>

#include <boost/json/value.hpp>

#include "model/status.h"

namespace licmove {

class SchemaFastCheck {
 public:
  // InvalidArgument naming the keyword, and where in the schema, that this
  // check does not know.
  static Result<std::shared_ptr<const SchemaFastCheck>> Compile(const boost::json::value& schema);

  // True only when `document` is valid against the schema. Thread-safe.
  bool SurelyValid(const boost::json::value& document) const;

  struct Compiled;  // the subschemas and patterns (schema_fast_check.cc)
  explicit SchemaFastCheck(std::unique_ptr<Compiled> compiled);
  ~SchemaFastCheck();

 private:
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace licmove
