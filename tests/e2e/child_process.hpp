#pragma once

// The `loudong` binary as a child process, with its stdout and stderr read through pipes: for
// tests of the program as an operator runs it (flags, signals, kill -9, a failing disk).

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace loudong::testing {

/// A child process with its stdout and stderr read through pipes.
struct child {
    pid_t pid = -1;
    int out = -1;
    int err = -1;
};

/// Starts `args[0]` with `args`; `env` is added to the child's environment. With `err_file`,
/// stderr goes to that file instead of a pipe (a busy server logs more than a pipe holds).
inline child spawn(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env = {},
                   const std::string& err_file = "") {
    int out_pipe[2];
    int err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
        throw std::runtime_error("pipe");
    }
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out_pipe[1], 1);
        dup2(err_file.empty() ? err_pipe[1]
                              : ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644),
             2);
        close(out_pipe[0]);
        close(err_pipe[0]);
        for (const auto& [name, value] : env) {
            setenv(name.c_str(), value.c_str(), 1);
        }
        std::vector<char*> argv;
        for (const auto& a : args) {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    return child{pid, out_pipe[0], err_pipe[0]};
}

inline std::string read_line(int fd) {
    std::string line;
    char c = 0;
    while (read(fd, &c, 1) == 1 && c != '\n') {
        line += c;
    }
    return line;
}

inline std::string read_all(int fd) {
    std::string all;
    std::array<char, 4096> buffer{};
    ssize_t n = 0;
    while ((n = read(fd, buffer.data(), buffer.size())) > 0) {
        all.append(buffer.data(), static_cast<std::size_t>(n));
    }
    return all;
}

/// Waits for the child; its exit code, or 128 + the signal that ended it.
inline int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// A path in the temp directory unique to this test process.
inline std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("loudong-proc-" + std::to_string(getpid()) + "-" + name))
        .string();
}

/// `loudong` serving on a free loopback port.
struct server_process {
    child process;
    unsigned short port = 0;
};

/// Starts the loudong binary with `args` (after `--port 0`), its log going to `log_file`, and
/// waits for its "listening on 127.0.0.1:<port>" line; throws if it never prints one.
inline server_process start_loudong(const std::vector<std::string>& args,
                                    const std::string& log_file,
                                    const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> all{LOUDONG_BINARY, "--port", "0"};
    all.insert(all.end(), args.begin(), args.end());
    auto process = spawn(all, env, log_file);
    const auto line = read_line(process.out);
    if (line.rfind("listening on 127.0.0.1:", 0) != 0) {
        kill(process.pid, SIGKILL);
        wait_exit(process.pid);
        throw std::runtime_error("loudong did not start: " + line);
    }
    return {process, static_cast<unsigned short>(std::stoi(line.substr(line.rfind(':') + 1)))};
}

}  // namespace loudong::testing
