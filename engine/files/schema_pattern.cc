#include "files/schema_pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace licmove {

struct SchemaPattern::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

Result<SchemaPattern> SchemaPattern::Compile(std::string_view pattern) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  auto code = std::make_shared<Code>();
  code->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                             PCRE2_DOLLAR_ENDONLY, &error, &offset, nullptr);
  if (!code->code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    return Status::InvalidArgument("pattern \"" + std::string(pattern) + "\" does not compile at " +
                                   std::to_string(offset) + ": " +
                                   reinterpret_cast<const char*>(message));
  }
  // Without a JIT (some platforms) the interpreter matches the same, slower.
  pcre2_jit_compile(code->code, PCRE2_JIT_COMPLETE);
  return SchemaPattern(std::string(pattern), std::move(code));
}

bool SchemaPattern::Search(std::string_view text) const {
  // Match data for one ovector pair: a search needs no captures. Made per
  // call so that one compiled pattern serves any number of threads.
  std::unique_ptr<pcre2_match_data, void (*)(pcre2_match_data*)> data(
      pcre2_match_data_create(1, nullptr), &pcre2_match_data_free);
  const int rc = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0,
                             0, data.get(), nullptr);
  return rc >= 0;
}

}  // namespace licmove
