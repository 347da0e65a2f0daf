// The `loudong` binary as a committee member runs it: flags, config file, signals, `say`.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

/// A child process with its stdout and stderr read through pipes.
struct child {
    pid_t pid = -1;
    int out = -1;
    int err = -1;
};

child spawn(const std::vector<std::string>& args) {
    int out_pipe[2];
    int err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
        throw std::runtime_error("pipe");
    }
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        close(out_pipe[0]);
        close(err_pipe[0]);
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

std::string read_line(int fd) {
    std::string line;
    char c = 0;
    while (read(fd, &c, 1) == 1 && c != '\n') {
        line += c;
    }
    return line;
}

std::string read_all(int fd) {
    std::string all;
    std::array<char, 4096> buffer{};
    ssize_t n = 0;
    while ((n = read(fd, buffer.data(), buffer.size())) > 0) {
        all.append(buffer.data(), static_cast<std::size_t>(n));
    }
    return all;
}

int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("loudong-proc-" + std::to_string(getpid()) + "-" + name))
        .string();
}

TEST(Process, StartsFromFlagsAnswersSayAndExitsCleanlyOnSigterm) {
    const auto db = temp_path("say.db");
    std::filesystem::remove(db);
    const auto cfg = temp_path("say.json");
    std::ofstream(cfg) << R"({"committee": ["generic:u-admin"], "threads": 2})";
    auto server = spawn({LOUDONG_BINARY, "--port", "0", "--db", db, "--config", cfg});
    const auto line = read_line(server.out);
    ASSERT_EQ(line.rfind("listening on 127.0.0.1:", 0), 0u) << line;
    const auto port = line.substr(line.rfind(':') + 1);
    const auto url = "http://127.0.0.1:" + port + "/hook/generic";

    auto bind = spawn({LOUDONG_BINARY, "say", "--url", url, "--chat", "bldg-3", "--user", "u-admin",
                       "绑定 3号楼"});
    EXPECT_EQ(read_all(bind.out), "本群已绑定为3号楼群。\n");
    EXPECT_EQ(wait_exit(bind.pid), 0);

    auto resident = spawn({LOUDONG_BINARY, "say", "--url", url, "--chat", "bldg-3", "--user",
                           "u-502a", "--name", "王阿姨", "登记 ３号楼 ５０２室"});
    EXPECT_EQ(read_all(resident.out), "已登记：3号楼502室。\n");
    EXPECT_EQ(wait_exit(resident.pid), 0);

    kill(server.pid, SIGTERM);
    EXPECT_EQ(wait_exit(server.pid), 0);
    EXPECT_NE(read_all(server.err).find("POST /hook/generic 200"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(db));
}

TEST(Process, RefusesToStartWithAConfigItMisreads) {
    const auto cfg = temp_path("bad.json");
    std::ofstream(cfg) << R"({"port": 8080, "comittee": ["generic:u-admin"]})";
    auto server =
        spawn({LOUDONG_BINARY, "--port", "0", "--db", temp_path("bad.db"), "--config", cfg});
    EXPECT_NE(read_all(server.err).find("\"comittee\""), std::string::npos);
    EXPECT_EQ(wait_exit(server.pid), 2);
}

TEST(Process, SayReportsAnUnreachableServer) {
    auto say = spawn({LOUDONG_BINARY, "say", "--url", "http://127.0.0.1:1/hook/generic", "我的"});
    EXPECT_NE(read_all(say.err).find("cannot reach"), std::string::npos);
    EXPECT_EQ(wait_exit(say.pid), 1);
}

}  // namespace
