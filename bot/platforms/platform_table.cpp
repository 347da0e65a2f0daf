#include "bot/platforms/platform_table.hpp"

#include "bot/platforms/generic_platform.hpp"
#include "bot/platforms/onebot_platform.hpp"
#include "bot/platforms/qq_platform.hpp"
#include "bot/platforms/telegram_platform.hpp"
#include "bot/platforms/wecom_platform.hpp"

namespace loudong::bot {

// A platform is served only when configured (SPEC §8 item 10): its webhook path is 404 otherwise.
platform_table::platform_table(const config& cfg) {
    if (cfg.serves_generic()) {
        platforms_.push_back(std::make_unique<generic_platform>(cfg.generic));
    }
    if (cfg.onebot.enabled) {
        platforms_.push_back(std::make_unique<onebot_platform>(cfg.onebot));
    }
    if (cfg.telegram.enabled) {
        platforms_.push_back(std::make_unique<telegram_platform>(cfg.telegram));
    }
    if (cfg.qq.enabled) {
        platforms_.push_back(std::make_unique<qq_platform>(cfg.qq));
    }
    if (cfg.wecom.enabled) {
        platforms_.push_back(std::make_unique<wecom_platform>(cfg.wecom));
    }
}

const platform* platform_table::find(std::string_view name) const {
    for (const auto& p : platforms_) {
        if (p->name() == name) {
            return p.get();
        }
    }
    return nullptr;
}

}  // namespace loudong::bot
