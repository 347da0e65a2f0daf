// handlers/parser/registry_csv.cpp: the registry file as Excel saves it, and every way it can be
// wrong (SPEC §7): each bad file names its line and imports nothing.
#include "handlers/parser/registry_csv.hpp"

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

namespace loudong::handlers {
namespace {

std::string fixture(const std::string& name) {
    std::ifstream file(std::string(LOUDONG_FIXTURES) + "/registry/" + name, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::vector<registry_line> rooms_of(std::string_view bytes) {
    auto read = read_registry_csv(bytes);
    if (const auto* error = std::get_if<registry_csv_error>(&read)) {
        ADD_FAILURE() << describe(*error);
        return {};
    }
    return std::get<std::vector<registry_line>>(read);
}

std::string error_of(std::string_view bytes) {
    auto read = read_registry_csv(bytes);
    const auto* error = std::get_if<registry_csv_error>(&read);
    return error ? describe(*error) : "(imported)";
}

TEST(RegistryCsv, ReadsExcelsUtf8WithABomCrlfQuotedNotesAndLanes) {
    const auto rooms = rooms_of(fixture("sample.csv"));
    ASSERT_EQ(rooms.size(), 7u);
    EXPECT_EQ(rooms[0].building, "3");
    EXPECT_EQ(rooms[0].room, "101");
    EXPECT_EQ(rooms[0].line, 2u);
    EXPECT_EQ(rooms[3].note, "独居老人，需送上门");
    EXPECT_EQ(rooms[4].building, "5");
    EXPECT_EQ(rooms[4].note, "轮椅");
    EXPECT_EQ(rooms[5].building, "12弄3");
    EXPECT_EQ(rooms[6].building, "12弄3");  // 12-3 in the building column
    EXPECT_EQ(rooms[6].room, "102");
}

TEST(RegistryCsv, ConvertsExcelsGbkWithChineseHeaders) {
    const auto rooms = rooms_of(fixture("excel_gbk.csv"));
    ASSERT_EQ(rooms.size(), 2u);
    EXPECT_EQ(rooms[0].building, "3");
    EXPECT_EQ(rooms[0].room, "601");
    EXPECT_EQ(rooms[0].note, "独居老人");
}

TEST(RegistryCsv, AQuotedNoteKeepsItsCommasAndQuotes) {
    const auto rooms = rooms_of("building,room,note\n3,502,\"独居,说\"\"送上门\"\"\"\n");
    ASSERT_EQ(rooms.size(), 1u);
    EXPECT_EQ(rooms[0].note, "独居,说\"送上门\"");
}

TEST(RegistryCsv, EveryBadFileNamesTheLineAndWhy) {
    EXPECT_EQ(error_of(""), "文件是空的");
    EXPECT_EQ(error_of("\n\n"), "文件是空的");
    EXPECT_EQ(error_of("building,room\n"), "只有表头，没有房号");
    EXPECT_EQ(error_of("3,502\n"), "第1行：应是表头 building,room[,note]（或 楼号,房号[,备注]）");
    EXPECT_EQ(error_of("building,room\n3\n"), "第2行：缺少房号");
    EXPECT_EQ(error_of("building,room\n3,\n"), "第2行：缺少房号");
    EXPECT_EQ(error_of("building,room\n3,502,独居\n"), "第2行：多了一列“独居”");
    EXPECT_EQ(error_of("building,room\n三号楼,502\n"), "第2行：楼号“三号楼”看不懂");
    EXPECT_EQ(error_of("building,room\n3,0502\n"), "第2行：房号“0502”看不懂");
    EXPECT_EQ(error_of("building,room\n3,501\n\n3号楼,501室\n"), "第4行：3-501 与第2行重复");
    EXPECT_EQ(error_of("building,room,note\n3,501,\"独居\n"), "第2行：引号没有配对");
    EXPECT_EQ(error_of("building,room,note\n3,501," + std::string(601, 'x') + "\n"),
              "第2行：备注太长（最多200字）");
    EXPECT_EQ(error_of("building,room\n3,\xff\xfe\x80\x80\n"),
              "文件既不是UTF-8也不是GBK编码，请在Excel里“另存为”CSV UTF-8");
    EXPECT_EQ(error_of(std::string(10 * 1024 * 1024, 'a')),
              "文件太大（10 MB），一个小区的房号表不超过4 MB");
}

}  // namespace
}  // namespace loudong::handlers
