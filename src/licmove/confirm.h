// Asking a person before a change (apply, rollback, unlock), the same way
// in every command.
#pragma once

#include <string>

namespace licmove {

// Asks `question` on stderr and reads the answer from stdin. Only "yes"
// confirms, for every change whatever its size (as Terraform asks): "y", a
// stray Enter or a key pressed by accident never starts one. Without a
// terminal on stdin nobody can answer, so it does not ask: it says to pass
// --yes to `what` ("apply", "roll back", ...). When not confirmed it has
// said that nothing changed; the caller exits kExitRefused.
bool ConfirmedByPerson(const std::string& question, const std::string& what);

}  // namespace licmove
