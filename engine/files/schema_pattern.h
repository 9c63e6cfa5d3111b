// A JSON Schema `pattern`, compiled once and searched fast: PCRE2 with its
// JIT, on bytes. valijson searches with std::regex (ECMAScript, char by
// char), about a microsecond a string; a 100,000-camera fleet has 400,000
// strings under a pattern. PCRE2 reads the schemas' patterns as ECMAScript
// does when it matches bytes, `$` only at the very end (PCRE2_DOLLAR_ENDONLY)
// and `\s` the six ASCII spaces; tests/files/schema_fast_check_test.cc checks
// every pattern of the shipped schemas against std::regex on generated
// strings, so a pattern added later is checked too.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "model/status.h"

namespace licmove {

class SchemaPattern {
 public:
  // InvalidArgument naming the pattern and PCRE2's reason when it does not
  // compile.
  static Result<SchemaPattern> Compile(std::string_view pattern);

  // True when the pattern matches somewhere in `text` (a regex search, as
  // JSON Schema's `pattern` means). Thread-safe.
  bool Search(std::string_view text) const;

  const std::string& source() const { return source_; }

 private:
  struct Code;
  SchemaPattern(std::string source, std::shared_ptr<const Code> code)
      : source_(std::move(source)), code_(std::move(code)) {}
  std::string source_;
  std::shared_ptr<const Code> code_;
};

}  // namespace licmove
