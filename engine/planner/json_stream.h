// Writes one JSON document into a string piece by piece: the same text
// boost::json::serialize gives for the whole document, without holding the
// whole document as boost::json values first. A 100,000-camera plan's ops
// and predicted state as values take several times their 24 MB of text;
// written op by op, only one op's value exists at a time.
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

namespace licmove {

class JsonStream {
 public:
  explicit JsonStream(std::string& out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // An object member's name; its value follows (Value, BeginObject or BeginArray).
  void Key(std::string_view name);
  void Value(const boost::json::value& value);

 private:
  void Separate();  // a comma before every item of a container but its first
  void Open(char c);
  void Close(char c);

  std::string& out_;
  bool comma_ = false;
};

}  // namespace licmove
