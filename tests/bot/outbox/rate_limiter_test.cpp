#include "bot/outbox/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace loudong::bot {
namespace {

TEST(RateLimiter, KeepsTheIntervalBetweenTwoMessagesToOneChat) {
    rate_limiter limiter({1000, 20, 30});
    EXPECT_EQ(limiter.acquire("bldg-3", 10'000), 0);
    EXPECT_EQ(limiter.acquire("bldg-3", 10'400), 600);
    EXPECT_EQ(limiter.acquire("bldg-5", 10'400), 0);
    EXPECT_EQ(limiter.acquire("bldg-3", 11'000), 0);
}

TEST(RateLimiter, CapsMessagesPerChatPerMinute) {
    rate_limiter limiter({0, 20, 1000});
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(limiter.acquire("group", i * 100), 0) << i;
    }
    EXPECT_EQ(limiter.acquire("group", 2'000), 58'000);
    EXPECT_EQ(limiter.acquire("group", 60'000), 0);
}

TEST(RateLimiter, CapsAllMessagesPerSecond) {
    rate_limiter limiter({1000, 20, 30});
    int allowed = 0;
    for (int chat = 0; chat < 100; ++chat) {
        if (limiter.acquire("chat-" + std::to_string(chat), 5'000) == 0) {
            ++allowed;
        }
    }
    EXPECT_EQ(allowed, 30);
    EXPECT_EQ(limiter.acquire("chat-99", 5'500), 500);
    EXPECT_EQ(limiter.acquire("chat-99", 6'000), 0);
}

}  // namespace
}  // namespace loudong::bot
