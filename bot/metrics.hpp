#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <ostream>
#include <string>

namespace loudong::bot {

/// Counters and latency histograms for GET /metrics, safe to update from any thread.
class metrics {
public:
    /// Counts one answered HTTP request and its latency.
    void record_request(const std::string& route, unsigned status, double seconds);

    /// Counts one handled command by English name ("register", "unknown").
    void record_command(const std::string& name);

    /// Counts one write batch (group commit) of `size` messages whose COMMIT took
    /// `commit_seconds` (the WAL writes, the fsync and any checkpoint: where a slow disk shows).
    void record_batch(std::size_t size, double commit_seconds);

    /// Counts one outbox send attempt by result: "sent", "retried", "failed".
    void record_outbox(const std::string& result);

    /// Sets whether the database takes writes (a gauge, 1 or 0).
    void set_storage_writable(bool writable) { storage_writable_ = writable ? 1 : 0; }

    /// Sets how many outbox messages are waiting.
    void set_outbox_depth(int depth) { outbox_depth_ = depth; }

    /// The Prometheus text exposition of everything counted.
    std::string render() const;

private:
    static constexpr std::array<double, 10> bounds_{0.001, 0.0025, 0.005, 0.01, 0.025,
                                                    0.05,  0.1,    0.25,  0.5,  1.0};
    struct histogram {
        std::array<std::uint64_t, bounds_.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;

        void add(double seconds);
        /// The Prometheus lines of `name` (_bucket, _sum, _count), with `labels` (`a="b"`,
        /// or empty) on each.
        void write(std::ostream& out, const std::string& name, const std::string& labels) const;
    };

    mutable std::mutex mutex_;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
    std::map<std::string, histogram> latency_;
    std::map<std::string, std::uint64_t> commands_;
    std::map<std::string, std::uint64_t> outbox_;
    std::atomic<int> outbox_depth_{0};
    std::atomic<int> storage_writable_{1};
    std::uint64_t batches_ = 0;
    std::uint64_t batched_messages_ = 0;
    histogram commit_latency_;
};

}  // namespace loudong::bot
