// Inputs and pointers that pin down what YamlDocument::ValueAt and KeyAt
// answer, shared by the location regression test and by the tool that
// recorded its expected answers (with the index as it was before it became
// a tree mirroring the JSON value, see yaml_document.h).
#pragma once

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "files/yaml_document.h"

namespace licmove::testing {

inline std::vector<std::string> LocationCases() {
  std::string deep;
  for (int i = 0; i < 70; ++i) deep += "[";
  deep += "x";
  for (int i = 0; i < 70; ++i) deep += "]";
  return {
      "moves:\n  - from: CAM-1\n    to:   CAM-2\n  -\n  - {a: 1, \"b/c\": 2, d~e: 3}\n"
      "empty_value:\nlast: x\n",
      "\xef\xbb\xbf"
      "a: 1\r\nb: [x, y]\r\nc: \xc3\xa9\xc3\xa9 z\r\nd: w\n",
      "base: &b {x: 1, y: [1, 2]}\nuse: *b\nlist: [&s text, *s]\nself: &c [1, *c]\n"
      "after: {z: *b}\n",
      "a: 1\nb: {c: 1, c: [2, 3], d: 4}\na: {e: 5}\nf: 6\n",
      "? [a]\n: 1\nb: 2\n? {c: d}\n: 3\ne: 4\n",
      "{: 1, x: 2}\n",
      "top:\n  deep: " + deep + "\n  next: [1, 2]\nafter: 3\n",
      "\"a/b\": {\"~\": 1, \"~1\": 2, \"\": 3, \"~0/\": 4}\n\"0\": x\n\"01\": y\n\"-\": z\n",
      "- [a, b, c]\n- {0: z, 1: [y]}\n-\n- - q\n  - r\n",
      "just text\n",
      "- \n-\n  - a\n-   \n  b\n",
      "long: " + std::string(1200, 'z') + "\nnext: [" + std::string(1001, 'y') + ", 2]\n",
      "k: &k name\n*k : 2\nm: &m [1]\n*m : 3\n",
      "a: 1\n---\nb: 2\n",
      "1: a\ntrue: b\nnull: c\n0x10: d\n~: e\n",
      "\xc3\xa9: 1\n\"\xc3\xbc/x\": [1, {\xc3\xa9\xc3\xa9: 2}]\n",
      "list:\n" +
          [] {
            std::string s;
            for (int i = 0; i < 25; ++i) {
              s += "  - {n: " + std::to_string(i) + ", m: {k: v" + std::to_string(i) + "}}\n";
            }
            return s;
          }(),
      "wide: {" +
          [] {
            std::string s;
            for (int i = 0; i < 40; ++i)
              s += (i ? ", k" : "k") + std::to_string(i) + ": " + std::to_string(i);
            return s;
          }() +
          "}\n",
      "x: [1, 2\n",
      "a: 'unclosed\n",
  };
}

// Every pointer of `root`, and for each container some that are not there:
// a missing key, indexes out of range or not in canonical form, escapes that
// JSON Pointer does not define.
inline void AddProbes(const boost::json::value& v, const std::string& at,
                      std::vector<std::string>& out) {
  out.push_back(at);
  if (!v.is_array() && !v.is_object()) return;
  for (const char* extra : {"/nope", "/01", "/-", "/~2", "/", "/999999", "/0", "/1/x", "/x/y"}) {
    out.push_back(at + extra);
  }
  if (v.is_array()) {
    const boost::json::array& a = v.get_array();
    for (std::size_t i = 0; i < a.size(); ++i) AddProbes(a[i], PointerChild(at, i), out);
  } else {
    for (const auto& member : v.get_object()) {
      AddProbes(member.value(), PointerChild(at, member.key()), out);
    }
  }
}

inline std::vector<std::string> ProbePointers(const boost::json::value& root) {
  std::vector<std::string> out;
  AddProbes(root, "", out);
  return out;
}

}  // namespace licmove::testing
