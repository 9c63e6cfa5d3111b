#include "shell_commands.h"

#include <algorithm>
#include <cctype>

namespace licmove::testing {

namespace {

struct Token {
  enum class Kind { kWord, kOperator, kRedirect, kNewline };
  Kind kind;
  std::string text;
};

bool IsNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::size_t SkipDollar(std::string_view s, std::size_t i);

// s[i] is a quote character; the index just past its closing quote (or the
// end of s, for an unterminated one).
std::size_t SkipSingleQuoted(std::string_view s, std::size_t i) {
  const std::size_t end = s.find('\'', i + 1);
  return end == std::string_view::npos ? s.size() : end + 1;
}

std::size_t SkipBackquoted(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '`') {
      return i + 1;
    }
  }
  return s.size();
}

std::size_t SkipDoubleQuoted(std::string_view s, std::size_t i) {
  for (++i; i < s.size();) {
    if (s[i] == '\\') {
      i += 2;
    } else if (s[i] == '"') {
      return i + 1;
    } else if (s[i] == '$') {
      i = SkipDollar(s, i);
    } else if (s[i] == '`') {
      i = SkipBackquoted(s, i);
    } else {
      ++i;
    }
  }
  return s.size();
}

// From s[i], just past an opening `open`, to just past the `close` that
// balances it, stepping over quotes and nested $ forms.
std::size_t SkipBalanced(std::string_view s, std::size_t i, char open, char close) {
  int depth = 1;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\') {
      i += 2;
    } else if (c == '\'') {
      i = SkipSingleQuoted(s, i);
    } else if (c == '"') {
      i = SkipDoubleQuoted(s, i);
    } else if (c == '`') {
      i = SkipBackquoted(s, i);
    } else if (c == '$' && i + 1 < s.size() && (s[i + 1] == '(' || s[i + 1] == '{')) {
      i = SkipDollar(s, i);
    } else {
      if (c == open) ++depth;
      if (c == close && --depth == 0) return i + 1;
      ++i;
    }
  }
  return s.size();
}

// s[i] is '$': the index just past the expansion it starts ($NAME, $1, $?,
// ${...}, ${{ ... }}, $(...), $((...))), or i + 1 for a lone '$'.
std::size_t SkipDollar(std::string_view s, std::size_t i) {
  if (i + 1 >= s.size()) return i + 1;
  const char c = s[i + 1];
  if (s.substr(i, 3) == "${{") {
    const std::size_t end = s.find("}}", i + 3);
    return end == std::string_view::npos ? s.size() : end + 2;
  }
  if (c == '{') return SkipBalanced(s, i + 2, '{', '}');
  if (c == '(') return SkipBalanced(s, i + 2, '(', ')');
  if (IsNameStart(c)) {
    std::size_t end = i + 1;
    while (end < s.size() && IsNameChar(s[end])) ++end;
    return end;
  }
  if (std::isdigit(static_cast<unsigned char>(c)) ||
      std::string_view("?#@*!$-").find(c) != std::string_view::npos) {
    return i + 2;
  }
  return i + 1;
}

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  std::string word;
  bool in_word = false;
  auto flush = [&] {
    if (in_word) out.push_back({Token::Kind::kWord, word});
    word.clear();
    in_word = false;
  };
  auto take = [&](std::size_t from, std::size_t to) {
    word.append(s.substr(from, to - from));
    in_word = true;
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && s[i + 1] == '\n') {
      i += 2;  // a continuation line
    } else if (c == '\\') {
      take(i, std::min(i + 2, s.size()));
      i += 2;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      flush();
      ++i;
    } else if (c == '\n') {
      flush();
      out.push_back({Token::Kind::kNewline, "\n"});
      ++i;
    } else if (c == '#' && !in_word) {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (c == '\'') {
      const std::size_t end = SkipSingleQuoted(s, i);
      take(i, end);
      i = end;
    } else if (c == '"') {
      const std::size_t end = SkipDoubleQuoted(s, i);
      take(i, end);
      i = end;
    } else if (c == '`') {
      const std::size_t end = SkipBackquoted(s, i);
      take(i, end);
      i = end;
    } else if (c == '$') {
      const std::size_t end = SkipDollar(s, i);
      take(i, end);
      i = end;
    } else if (c == '<' || c == '>' || (c == '&' && i + 1 < s.size() && s[i + 1] == '>')) {
      // A redirection; a word of digits right before it is its descriptor.
      std::string op;
      if (in_word && !word.empty() && std::all_of(word.begin(), word.end(), [](char d) {
            return std::isdigit(static_cast<unsigned char>(d));
          })) {
        op = word;
        word.clear();
        in_word = false;
      } else {
        flush();
      }
      op += c;
      ++i;
      while (i < s.size() && (s[i] == '>' || s[i] == '&' || s[i] == '|')) op += s[i++];
      if (op.back() == '&') {
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '-')) {
          op += s[i++];
        }
      }
      out.push_back({Token::Kind::kRedirect, op});
    } else if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
      flush();
      std::string op(1, c);
      ++i;
      if (i < s.size() &&
          ((c == '&' && s[i] == '&') || (c == '|' && (s[i] == '|' || s[i] == '&')) ||
           (c == ';' && s[i] == ';'))) {
        op += s[i++];
      }
      out.push_back({Token::Kind::kOperator, op});
    } else {
      take(i, i + 1);
      ++i;
    }
  }
  flush();
  return out;
}

// NAME=value, as in `CODE=0` or `X=1 licmove ...`.
bool IsAssignment(const std::string& w) {
  const std::size_t eq = w.find('=');
  if (eq == std::string::npos || eq == 0 || !IsNameStart(w[0])) return false;
  return std::all_of(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(eq), IsNameChar);
}

// Words after which the next word is still in command position.
bool IsReservedWord(const std::string& w) {
  for (const char* r : {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"}) {
    if (w == r) return true;
  }
  return false;
}

// A redirection like `>&2` or `2>&1` names its target itself; `>`, `2>`,
// `>>`, `<`, `&>` take the next word.
bool TakesTarget(const std::string& op) {
  const std::size_t amp = op.rfind('&');
  return amp == std::string::npos || amp + 1 == op.size() || amp == 0;
}

// One word with its quotes removed and every expansion written `$VAR`.
std::string NormalizeWord(std::string_view w) {
  std::string out;
  bool in_double = false;
  for (std::size_t i = 0; i < w.size();) {
    const char c = w[i];
    if (c == '\\' && i + 1 < w.size()) {
      out += w[i + 1];
      i += 2;
    } else if (c == '\'' && !in_double) {
      const std::size_t close = w.find('\'', i + 1);
      const std::size_t end = close == std::string_view::npos ? w.size() : close;
      out.append(w.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if (c == '"') {
      in_double = !in_double;
      ++i;
    } else if (c == '$' && SkipDollar(w, i) > i + 1) {
      out += "$VAR";
      i = SkipDollar(w, i);
    } else if (c == '`') {
      out += "$VAR";
      i = SkipBackquoted(w, i);
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace

std::vector<std::vector<std::string>> FindLicmoveCommands(std::string_view shell) {
  const std::vector<Token> tokens = Tokenize(shell);
  std::vector<std::vector<std::string>> found;
  bool command_position = true;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    switch (t.kind) {
      case Token::Kind::kNewline:
      case Token::Kind::kOperator:
        command_position = true;
        continue;
      case Token::Kind::kRedirect:
        if (TakesTarget(t.text) && i + 1 < tokens.size() &&
            tokens[i + 1].kind == Token::Kind::kWord)
          ++i;
        continue;
      case Token::Kind::kWord:
        break;
    }
    if (!command_position) continue;
    if (IsAssignment(t.text) || IsReservedWord(t.text)) continue;
    command_position = false;
    if (t.text != "licmove") continue;
    if (i + 1 < tokens.size() && tokens[i + 1].kind == Token::Kind::kOperator &&
        tokens[i + 1].text == "(") {
      continue;  // licmove() { ...: a function of that name
    }
    std::vector<std::string> words;
    std::size_t j = i + 1;
    for (; j < tokens.size(); ++j) {
      const Token& a = tokens[j];
      if (a.kind == Token::Kind::kWord) {
        words.push_back(a.text);
      } else if (a.kind == Token::Kind::kRedirect) {
        if (TakesTarget(a.text) && j + 1 < tokens.size() &&
            tokens[j + 1].kind == Token::Kind::kWord)
          ++j;
      } else {
        break;
      }
    }
    found.push_back(std::move(words));
    i = j - 1;
  }
  return found;
}

std::string NormalizeLicmoveCommand(const std::vector<std::string>& words) {
  std::vector<std::string> split;
  for (const std::string& raw : words) {
    const std::string w = NormalizeWord(raw);
    const std::size_t eq = w.find('=');
    if (w.rfind("--", 0) == 0 && eq != std::string::npos) {
      split.push_back(w.substr(0, eq));
      split.push_back(w.substr(eq + 1));
    } else {
      split.push_back(w);
    }
  }
  std::string out = "licmove";
  for (std::size_t i = 0; i < split.size(); ++i) {
    const std::string& w = split[i];
    if (w == "--token-file") {
      ++i;
      continue;
    }
    if (w == "--portal" || w == "--state" || w == "--state-dir") {
      out += w == "--portal" ? " --portal $VAR" : " --state $VAR";
      ++i;
      continue;
    }
    out += " " + w;
  }
  return out;
}

}  // namespace licmove::testing
