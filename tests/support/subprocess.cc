#include "subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace licmove::testing {

namespace {

[[noreturn]] void Exec(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  ::_exit(127);
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::unique_ptr<Subprocess> Subprocess::Start(const std::vector<std::string>& argv,
                                              const std::vector<std::string>& env,
                                              const std::string& output_file) {
  const pid_t pid = ::fork();
  if (pid < 0) return nullptr;
  if (pid == 0) {
    ::setpgid(0, 0);
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, STDIN_FILENO);
    if (!output_file.empty()) {
      const int fd = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
    }
    Exec(argv, env);
  }
  return std::unique_ptr<Subprocess>(new Subprocess(pid));
}

Subprocess::~Subprocess() {
  if (pid_ > 0) Kill9();
}

int Subprocess::Wait() {
  // Once reaped, the pid is gone: waiting again (after Kill9, say) must not
  // become waitpid(-1), which would wait for any other child.
  if (pid_ <= 0) return exit_code_;
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  exit_code_ = DecodeStatus(status);
  return exit_code_;
}

void Subprocess::Kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  Wait();
}

int RunProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
               const std::string& output_file) {
  auto p = Subprocess::Start(argv, env, output_file);
  return p ? p->Wait() : -1;
}

std::unique_ptr<ChildPortalSim> ChildPortalSim::Start(const std::string& fleet,
                                                      const std::string& state_dir,
                                                      const std::vector<std::string>& extra) {
  int out[2];
  if (::pipe(out) != 0) return nullptr;
  std::vector<std::string> argv = {LICMOVE_BINARY_DIR "/src/portal_sim/portal-sim",
                                   "--fleet",
                                   fleet,
                                   "--port",
                                   "0",
                                   "--state-dir",
                                   state_dir};
  argv.insert(argv.end(), extra.begin(), extra.end());
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    Exec(argv, {});
  }
  ::close(out[1]);
  std::unique_ptr<ChildPortalSim> sim(new ChildPortalSim());
  sim->pid_ = pid;
  sim->stdout_ = out[0];
  std::string line;
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
  const std::string prefix = "listening on ";
  if (line.compare(0, prefix.size(), prefix) != 0) return nullptr;
  sim->url_ = line.substr(prefix.size());
  return sim;
}

ChildPortalSim::~ChildPortalSim() {
  Kill9();
  if (stdout_ >= 0) ::close(stdout_);
}

void ChildPortalSim::Kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::uint16_t ChildPortalSim::port() const {
  return static_cast<std::uint16_t>(std::stoi(url_.substr(url_.rfind(':') + 1)));
}

int ChildPortalSim::Terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace licmove::testing
