#include "handlers/parser/registry_csv.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <optional>
#include <utility>

#include "handlers/parser/command_parser.hpp"
#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {
namespace {

// Whether `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool is_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        unsigned min = 0;
        unsigned code = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            min = 0x80;
            code = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            min = 0x800;
            code = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            min = 0x10000;
            code = c & 0x07u;
        } else {
            return false;
        }
        if (i + extra >= s.size()) {
            return false;  // cut off at the end
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(s[i + k]);
            if ((next & 0xC0u) != 0x80u) {
                return false;
            }
            code = (code << 6) | (next & 0x3Fu);
        }
        if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
            return false;
        }
        i += extra + 1;
    }
    return true;
}

// GBK as Excel writes it (GB18030 is its superset) to UTF-8; nullopt when it is not that.
std::optional<std::string> gbk_to_utf8(std::string_view bytes) {
    const auto cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return std::nullopt;
    }
    std::string out(bytes.size() * 2 + 16, '\0');
    auto* in_ptr = const_cast<char*>(bytes.data());
    auto in_left = bytes.size();
    auto* out_ptr = out.data();
    auto out_left = out.size();
    const auto done = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    iconv_close(cd);
    if (done == static_cast<std::size_t>(-1) || in_left != 0) {
        return std::nullopt;
    }
    out.resize(out.size() - out_left);
    return out;
}

std::string trimmed(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && blank(s.back())) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

// One line's fields; a quoted field may hold commas and doubled quotes ("独居,需送上门").
std::optional<std::vector<std::string>> fields_of(std::string_view line) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    bool was_quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                field.push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field.push_back(c);
            }
        } else if (c == '"' && trimmed(field).empty()) {
            quoted = true;
            was_quoted = true;
            field.clear();
        } else if (c == ',') {
            fields.push_back(was_quoted ? field : trimmed(field));
            field.clear();
            was_quoted = false;
        } else {
            field.push_back(c);
        }
    }
    if (quoted) {
        return std::nullopt;
    }
    fields.push_back(was_quoted ? field : trimmed(field));
    return fields;
}

bool names_column(const std::string& header, std::string_view english, std::string_view chinese) {
    return ascii_lower(header) == english || header == chinese;
}

registry_csv_error at(std::size_t line, std::string reason) {
    return registry_csv_error{line, std::move(reason)};
}

}  // namespace

std::variant<std::vector<registry_line>, registry_csv_error> read_registry_csv(
    std::string_view bytes) {
    if (bytes.size() > max_registry_csv_bytes) {
        return at(0, "文件太大（" + std::to_string(bytes.size() / 1024 / 1024) +
                         " MB），一个小区的房号表不超过4 MB");
    }
    std::string text;
    if (bytes.starts_with("\xEF\xBB\xBF")) {
        bytes.remove_prefix(3);
    }
    if (is_utf8(bytes)) {
        text = std::string(bytes);
    } else if (auto converted = gbk_to_utf8(bytes)) {
        text = std::move(*converted);
    } else {
        return at(0, "文件既不是UTF-8也不是GBK编码，请在Excel里“另存为”CSV UTF-8");
    }
    std::vector<registry_line> rooms;
    std::map<std::pair<std::string, std::string>, std::size_t> seen;
    std::size_t columns = 0;
    std::size_t number = 0;
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        auto line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        ++number;
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (trimmed(line).empty()) {
            continue;
        }
        const auto fields = fields_of(line);
        if (!fields) {
            return at(number, "引号没有配对");
        }
        if (columns == 0) {
            const auto& f = *fields;
            if (f.size() < 2 || f.size() > 3 || !names_column(f[0], "building", "楼号") ||
                !names_column(f[1], "room", "房号") ||
                (f.size() == 3 && !names_column(f[2], "note", "备注"))) {
                return at(number, "应是表头 building,room[,note]（或 楼号,房号[,备注]）");
            }
            columns = f.size();
            continue;
        }
        if (fields->size() > columns) {
            return at(number, "多了一列“" + (*fields)[columns] + "”");
        }
        if (fields->size() < 2 || (*fields)[1].empty()) {
            return at(number, "缺少房号");
        }
        auto building = parse_building(normalize_text((*fields)[0]));
        auto room = parse_room(normalize_text((*fields)[1]));
        // A lane's building written as 12-3 reads with its room as 12-3-502.
        if (!building && room) {
            if (auto lane = parse_address(normalize_text((*fields)[0] + "-" + *room))) {
                building = std::move(lane->building);
            }
        }
        if (!building) {
            return at(number, "楼号“" + (*fields)[0] + "”看不懂");
        }
        if (!room) {
            return at(number, "房号“" + (*fields)[1] + "”看不懂");
        }
        std::string note = fields->size() > 2 ? (*fields)[2] : "";
        if (note.size() > max_note_bytes) {
            return at(number, "备注太长（最多200字）");
        }
        const auto [where, fresh] = seen.emplace(std::pair{building->label, *room}, number);
        if (!fresh) {
            return at(number, building->label + "-" + *room + " 与第" +
                                  std::to_string(where->second) + "行重复");
        }
        rooms.push_back(registry_line{building->label, *room, std::move(note), number});
    }
    if (columns == 0) {
        return at(0, "文件是空的");
    }
    if (rooms.empty()) {
        return at(0, "只有表头，没有房号");
    }
    return rooms;
}

std::string describe(const registry_csv_error& error) {
    return error.line == 0 ? error.reason
                           : "第" + std::to_string(error.line) + "行：" + error.reason;
}

}  // namespace loudong::handlers
