#include "handlers/text_parts.hpp"

#include <algorithm>

namespace loudong::handlers {
namespace {

// The byte length of the UTF-8 sequence that starts with `lead` (1 for a stray byte, which
// then counts as one character, as a platform would count its replacement).
std::size_t sequence_length(unsigned char lead) {
    if (lead >= 0xF0 && lead < 0xF8) {
        return 4;
    }
    if (lead >= 0xE0) {
        return lead < 0xF0 ? 3 : 1;
    }
    if (lead >= 0xC0) {
        return 2;
    }
    return 1;
}

// Units one character (starting at text[at]) takes, and its byte length.
std::pair<std::size_t, std::size_t> character_at(std::string_view text, std::size_t at,
                                                 length_unit unit) {
    const auto bytes =
        std::min(sequence_length(static_cast<unsigned char>(text[at])), text.size() - at);
    // Outside the Basic Multilingual Plane (4 UTF-8 bytes), UTF-16 needs a surrogate pair.
    const std::size_t units = unit == length_unit::bytes                 ? bytes
                              : unit == length_unit::utf16 && bytes == 4 ? 2
                                                                         : 1;
    return {units, bytes};
}

// A line in words that each end with a separator (the last may not): "101、102、103" is
// "101、", "102、", "103".
std::vector<std::string_view> words_of(std::string_view line) {
    static constexpr std::string_view separators[] = {"、", "，", "；", " "};
    std::vector<std::string_view> words;
    std::size_t start = 0;
    for (std::size_t at = 0; at < line.size();) {
        std::size_t matched = 0;
        for (const auto separator : separators) {
            if (line.substr(at, separator.size()) == separator) {
                matched = separator.size();
                break;
            }
        }
        if (matched > 0) {
            words.push_back(line.substr(start, at + matched - start));
            at += matched;
            start = at;
        } else {
            at += std::max<std::size_t>(
                1,
                std::min(sequence_length(static_cast<unsigned char>(line[at])), line.size() - at));
        }
    }
    if (start < line.size()) {
        words.push_back(line.substr(start));
    }
    return words;
}

// "（3/12）": the label before part `index` of `count`.
std::string label(std::size_t index, std::size_t count) {
    return "（" + std::to_string(index) + "/" + std::to_string(count) + "）";
}

}  // namespace

std::size_t text_length(std::string_view text, length_unit unit) {
    std::size_t length = 0;
    for (std::size_t at = 0; at < text.size();) {
        const auto [units, bytes] = character_at(text, at, unit);
        length += units;
        at += bytes;
    }
    return length;
}

std::vector<std::string> split_text(const std::string& text, text_limit limit) {
    if (limit.max == 0 || text_length(text, limit.unit) <= limit.max) {
        return {text};
    }
    // Room for the longest label this text can need ("（999/999）" is 9 characters or UTF-16
    // units, 13 bytes).
    const std::size_t label_room = text_length("（999/999）", limit.unit);
    const std::size_t budget = limit.max > label_room + 1 ? limit.max - label_room : 1;
    std::vector<std::string> parts;
    std::string part;
    std::size_t part_length = 0;
    const auto flush = [&] {
        while (part.ends_with('\n')) {  // a blank line does not end a part
            part.pop_back();
        }
        if (!part.empty()) {
            parts.push_back(std::move(part));
        }
        part.clear();
        part_length = 0;
    };
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        const std::string_view line(text.data() + start, end - start);
        const auto line_length = text_length(line, limit.unit);
        const auto joined = part_length + (part.empty() ? 0 : 1) + line_length;
        if (!part.empty() && joined > budget) {
            flush();
        }
        if (line_length <= budget) {
            if (!part.empty() || !parts.empty() || !line.empty()) {
                part_length += (part.empty() ? 0 : 1) + line_length;
                part += (part.empty() ? "" : "\n") + std::string(line);
            }
        } else {
            // A line longer than a part (a list of rooms): cut after a separator ("、", "，",
            // "；", a space), and only a word longer than a part between characters.
            for (const auto word : words_of(line)) {
                const auto word_length = text_length(word, limit.unit);
                if (part_length + word_length > budget) {
                    flush();
                }
                if (word_length <= budget) {
                    part.append(word);
                    part_length += word_length;
                    continue;
                }
                for (std::size_t at = 0; at < word.size();) {
                    const auto [units, bytes] = character_at(word, at, limit.unit);
                    if (part_length + units > budget) {
                        flush();
                    }
                    part.append(word.substr(at, bytes));
                    part_length += units;
                    at += bytes;
                }
            }
        }
        start = end + 1;
    }
    flush();
    if (parts.size() <= 1) {
        return parts.empty() ? std::vector<std::string>{text} : parts;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
        parts[i] = label(i + 1, parts.size()) + parts[i];
    }
    return parts;
}

}  // namespace loudong::handlers
