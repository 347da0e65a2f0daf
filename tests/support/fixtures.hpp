#pragma once

// Platform payloads and other inputs copied from their sources (tests/fixtures/README.md).

#include <fstream>
#include <iterator>
#include <string>

namespace loudong::testing {

/// The bytes of tests/fixtures/<name>, e.g. "telegram/group_message.json".
inline std::string fixture(const std::string& name) {
    std::ifstream file(std::string(LOUDONG_FIXTURES) + "/" + name, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

}  // namespace loudong::testing
