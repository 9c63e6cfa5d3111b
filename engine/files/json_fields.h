// Lenient reads of a checked document's fields, for the decoders. A field
// that is missing or of the wrong type reads as absent: the schema check has
// already reported it, and decoding goes on so that the rules that span
// values can report their problems in the same run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace licmove::fields {

inline const boost::json::value* Get(const boost::json::value& object, std::string_view key) {
  const boost::json::object* o = object.if_object();
  return o ? o->if_contains(key) : nullptr;
}

inline std::optional<std::string> OptionalText(const boost::json::value& object,
                                               std::string_view key) {
  const boost::json::value* v = Get(object, key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

// "" when missing or not text.
inline std::string Text(const boost::json::value& object, std::string_view key) {
  return OptionalText(object, key).value_or("");
}

inline std::optional<bool> Bool(const boost::json::value& object, std::string_view key) {
  const boost::json::value* v = Get(object, key);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

inline std::optional<std::int64_t> Integer(const boost::json::value& object, std::string_view key) {
  const boost::json::value* v = Get(object, key);
  if (!v || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

// Null when missing or not a list.
inline const boost::json::array* List(const boost::json::value& object, std::string_view key) {
  const boost::json::value* v = Get(object, key);
  return v ? v->if_array() : nullptr;
}

}  // namespace licmove::fields
