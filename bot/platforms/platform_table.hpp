#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "bot/config.hpp"
#include "bot/platforms/platform.hpp"

namespace loudong::bot {

/// The platforms this server speaks, each under its name: the one list the request handler
/// (`/hook/<name>`) and the outbox worker (an outbox row's platform) look a platform up in.
class platform_table {
public:
    /// Every platform, with its settings from the config.
    explicit platform_table(const config& cfg);

    /// The platform of that name, or nullptr.
    const platform* find(std::string_view name) const;

    /// All of them, in a fixed order.
    std::span<const std::unique_ptr<platform>> all() const { return platforms_; }

private:
    std::vector<std::unique_ptr<platform>> platforms_;
};

}  // namespace loudong::bot
