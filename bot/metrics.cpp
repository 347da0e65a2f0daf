#include "bot/metrics.hpp"

#include <sstream>

namespace loudong::bot {

void metrics::histogram::add(double seconds) {
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        if (seconds <= bounds_[i]) {
            ++buckets[i];
        }
    }
    ++count;
    sum += seconds;
}

void metrics::histogram::write(std::ostream& out, const std::string& name,
                               const std::string& labels) const {
    const auto with = [&labels](const std::string& more) {
        const auto all = labels.empty() ? more : labels + (more.empty() ? "" : "," + more);
        return all.empty() ? std::string() : "{" + all + "}";
    };
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        std::ostringstream le;
        le << "le=\"" << bounds_[i] << "\"";
        out << name << "_bucket" << with(le.str()) << " " << buckets[i] << "\n";
    }
    out << name << "_bucket" << with("le=\"+Inf\"") << " " << count << "\n"
        << name << "_sum" << with("") << " " << sum << "\n"
        << name << "_count" << with("") << " " << count << "\n";
}

void metrics::record_request(const std::string& route, unsigned status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
    latency_[route].add(seconds);
}

void metrics::record_command(const std::string& name) {
    std::lock_guard lock(mutex_);
    ++commands_[name];
}

void metrics::record_outbox(const std::string& result) {
    std::lock_guard lock(mutex_);
    ++outbox_[result];
}

void metrics::record_batch(std::size_t size, double commit_seconds) {
    std::lock_guard lock(mutex_);
    ++batches_;
    batched_messages_ += size;
    commit_latency_.add(commit_seconds);
}

std::string metrics::render() const {
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    out << "# HELP loudong_http_requests_total HTTP requests answered, by route and status.\n"
           "# TYPE loudong_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
        out << "loudong_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
            << "\"} " << count << "\n";
    }
    out << "# HELP loudong_http_request_seconds Time from request read to response ready.\n"
           "# TYPE loudong_http_request_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        h.write(out, "loudong_http_request_seconds", "route=\"" + route + "\"");
    }
    out << "# HELP loudong_commands_total Commands handled, by English name.\n"
           "# TYPE loudong_commands_total counter\n";
    for (const auto& [name, count] : commands_) {
        out << "loudong_commands_total{command=\"" << name << "\"} " << count << "\n";
    }
    out << "# HELP loudong_write_batches_total Write transactions (group commits).\n"
           "# TYPE loudong_write_batches_total counter\n"
        << "loudong_write_batches_total " << batches_ << "\n"
        << "# HELP loudong_write_batch_messages_total Messages committed in those batches.\n"
           "# TYPE loudong_write_batch_messages_total counter\n"
        << "loudong_write_batch_messages_total " << batched_messages_ << "\n"
        << "# HELP loudong_commit_seconds Time each group commit's COMMIT took (WAL writes, "
           "fsync, checkpoints).\n"
           "# TYPE loudong_commit_seconds histogram\n";
    commit_latency_.write(out, "loudong_commit_seconds", "");
    out << "# HELP loudong_storage_writable 1 while the database takes writes, 0 while commits "
           "fail.\n"
           "# TYPE loudong_storage_writable gauge\n"
        << "loudong_storage_writable " << storage_writable_.load() << "\n"
        << "# HELP loudong_outbox_depth Outbox messages waiting to be sent.\n"
           "# TYPE loudong_outbox_depth gauge\n"
        << "loudong_outbox_depth " << outbox_depth_.load() << "\n"
        << "# HELP loudong_outbox_attempts_total Outbox send attempts, by result.\n"
           "# TYPE loudong_outbox_attempts_total counter\n";
    for (const auto* result : {"sent", "retried", "failed"}) {
        const auto found = outbox_.find(result);
        out << "loudong_outbox_attempts_total{result=\"" << result << "\"} "
            << (found == outbox_.end() ? 0 : found->second) << "\n";
    }
    return out.str();
}

}  // namespace loudong::bot
