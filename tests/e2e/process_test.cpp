// The `loudong` binary as a committee member runs it: flags, config file, signals, `say`.
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "child_process.hpp"

namespace {

using namespace loudong::testing;

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

TEST(Process, RefusesAnUnsignedOnebotSectionNamingTheKey) {
    const auto cfg = temp_path("unsigned.json");
    std::ofstream(cfg) << R"({"onebot": {"api_url": "http://127.0.0.1:5700"}})";
    auto server =
        spawn({LOUDONG_BINARY, "--port", "0", "--db", temp_path("unsigned.db"), "--config", cfg});
    const auto err = read_all(server.err);
    EXPECT_NE(err.find("\"onebot.secret\" is empty"), std::string::npos) << err;
    EXPECT_EQ(wait_exit(server.pid), 2);
}

TEST(Process, TheStartUpLogListsEveryEndpointAndWarnsOfAnUnsignedOne) {
    const auto cfg = temp_path("endpoints.json");
    std::ofstream(cfg) << R"({"onebot": {"unsigned": true}})";
    auto server =
        spawn({LOUDONG_BINARY, "--port", "0", "--db", temp_path("endpoints.db"), "--config", cfg});
    const auto line = read_line(server.out);
    ASSERT_EQ(line.rfind("listening on 127.0.0.1:", 0), 0u) << line;
    kill(server.pid, SIGTERM);
    EXPECT_EQ(wait_exit(server.pid), 0);
    const auto log = read_all(server.err);
    EXPECT_NE(log.find("endpoint /hook/generic: unsigned, served because listen 127.0.0.1"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("[warning] endpoint /hook/onebot: UNSIGNED"), std::string::npos) << log;
    EXPECT_NE(log.find("endpoint /hook/telegram: not served"), std::string::npos) << log;
}

// Issue 20: the log is read beside the compound's chats, so its times are the compound's.
TEST(Process, LogTimesAreInTheCompoundsTimeZoneWithTheOffset) {
    const auto cfg = temp_path("zone.json");
    std::ofstream(cfg) << R"({"timezone": "Asia/Shanghai"})";
    const auto before = std::chrono::system_clock::now();
    auto server =
        spawn({LOUDONG_BINARY, "--port", "0", "--db", temp_path("zone.db"), "--config", cfg},
              {{"TZ", "UTC"}});
    const auto line = read_line(server.out);
    ASSERT_EQ(line.rfind("listening on 127.0.0.1:", 0), 0u) << line;
    kill(server.pid, SIGTERM);
    EXPECT_EQ(wait_exit(server.pid), 0);
    const auto log = read_all(server.err);
    // "[2026-11-29 08:05:01.123 +08:00] [info] database …": the hour is UTC's plus eight.
    const std::regex stamp(
        R"(^\[\d{4}-\d{2}-\d{2} (\d{2}):\d{2}:\d{2}\.\d{3} \+08:00\] \[info\] )");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(log, m, stamp)) << log;
    const auto utc = std::chrono::system_clock::to_time_t(before);
    std::tm parts{};
    gmtime_r(&utc, &parts);
    const int hour = std::stoi(m[1].str());
    // The log line may fall in the next hour than `before`.
    EXPECT_TRUE(hour == (parts.tm_hour + 8) % 24 || hour == (parts.tm_hour + 9) % 24) << log;
}

TEST(Process, SayReportsAnUnreachableServer) {
    auto say = spawn({LOUDONG_BINARY, "say", "--url", "http://127.0.0.1:1/hook/generic", "我的"});
    EXPECT_NE(read_all(say.err).find("cannot reach"), std::string::npos);
    EXPECT_EQ(wait_exit(say.pid), 1);
}

}  // namespace
