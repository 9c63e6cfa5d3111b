#include "planner/json_stream.h"

namespace licmove {

void JsonStream::Separate() {
  if (comma_) out_ += ',';
}

void JsonStream::Open(char c) {
  Separate();
  out_ += c;
  comma_ = false;
}

void JsonStream::Close(char c) {
  out_ += c;
  comma_ = true;
}

void JsonStream::Key(std::string_view name) {
  Separate();
  out_ += boost::json::serialize(boost::json::string(name));
  out_ += ':';
  comma_ = false;
}

void JsonStream::Value(const boost::json::value& value) {
  Separate();
  out_ += boost::json::serialize(value);
  comma_ = true;
}

}  // namespace licmove
