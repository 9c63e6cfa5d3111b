// "Did you mean": the nearest of a few known words (subcommands, flags,
// plan and fleet keys, CSV columns) to one a person typed, by optimal string
// alignment distance (the Levenshtein edits plus swapping two neighbouring
// characters, so that "fromat" is one edit from "format").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace licmove {

// The number of insertions, deletions, substitutions and transpositions of
// two adjacent characters that turn `a` into `b`, no substring edited twice.
int EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `typed`, or "" when none is close enough to be
// what was meant: at most 2 edits, and fewer edits than `typed` has
// characters (so that "x" does not suggest "-y"). On a tie, the first.
std::string NearestWord(std::string_view typed, const std::vector<std::string>& candidates);

}  // namespace licmove
