// UTF-8 checked and decoded. Text from the portal or a plan file may hold any
// bytes: the document parsers refuse ill-formed UTF-8 first (so every later
// message can quote text), and a report must neither pass invalid UTF-8 on
// (XML parsers refuse it) nor cut a character in half when it shortens one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace licmove {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// The code point starting at text[i], and i moved past it. A byte that does
// not start a well-formed sequence (stray continuation, overlong form,
// surrogate, above U+10FFFF, cut short) yields U+FFFD and moves i by one.
// `*well_formed`, when given, says whether the bytes were well-formed (a
// literal U+FFFD in the text is).
// REQUIRES: i < text.size().
char32_t NextCodePoint(std::string_view text, std::size_t& i, bool* well_formed = nullptr);

// Offset of the first byte that is not well-formed UTF-8, or npos.
std::size_t FindInvalidUtf8(std::string_view text);

void AppendUtf8(std::string& out, char32_t code_point);

// `text` with every ill-formed byte replaced by U+FFFD.
std::string ValidUtf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not end
// inside a multi-byte sequence.
std::string_view ClipUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace licmove
