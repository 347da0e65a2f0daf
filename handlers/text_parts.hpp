#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace loudong::handlers {

/// How a platform counts a text's length: Telegram in UTF-16 code units ("1-4096 characters"
/// of its Bot API are UTF-16 units), WeCom's group robot in UTF-8 bytes ("最长不超过2048个字节"),
/// others in characters (Unicode code points).
enum class length_unit { characters, utf16, bytes };

/// The longest text one message may carry on a platform; 0: no limit.
struct text_limit {
    std::size_t max = 0;
    length_unit unit = length_unit::characters;
};

/// The length of a UTF-8 text in `unit`.
std::size_t text_length(std::string_view text, length_unit unit);

/// `text` as it goes out (SPEC §8.12): itself when it fits `limit`, else numbered parts
/// ("（1/3）" before each) that each fit, cut at the ends of lines and, for a line longer than
/// a part, between characters. Never an empty part; the parts' lines are the text's, in order.
std::vector<std::string> split_text(const std::string& text, text_limit limit);

}  // namespace loudong::handlers
