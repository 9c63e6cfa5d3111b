#include "confirm.h"

#include <unistd.h>

#include <iostream>

namespace licmove {

bool ConfirmedByPerson(const std::string& question, const std::string& what) {
  if (!::isatty(STDIN_FILENO)) {
    std::cerr << "licmove: not a terminal, so nobody can confirm: pass --yes to " << what << "\n";
    return false;
  }
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (std::getline(std::cin, answer) && (answer == "y" || answer == "Y" || answer == "yes")) {
    return true;
  }
  std::cerr << "licmove: nothing changed\n";
  return false;
}

}  // namespace licmove
