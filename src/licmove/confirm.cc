#include "confirm.h"

#include <unistd.h>

#include <iostream>

namespace licmove {

bool ConfirmedByPerson(const std::string& question, const std::string& what) {
  if (!::isatty(STDIN_FILENO)) {
    std::cerr << "licmove: not a terminal, so nobody can confirm: pass --yes to " << what << "\n";
    return false;
  }
  std::cerr << question << "\n  Only 'yes' will be accepted to " << what
            << ".\n  Enter a value: " << std::flush;
  std::string answer;
  if (std::getline(std::cin, answer) && answer == "yes") return true;
  std::cerr << "licmove: nothing changed (the answer was not 'yes')\n";
  return false;
}

}  // namespace licmove
