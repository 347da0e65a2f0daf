// The syntax of 通知 (handled in handlers/notices.cpp).
#include "handlers/parser/parse_input.hpp"

#include <span>

#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {

parse_result parse_notice(const parse_input& in) {
    const std::span<const std::string_view> t(in.tokens);
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    notice_args args;
    if (ascii_lower(t[0]) == "status" || t[0] == "状态" || t[0] == "情况") {
        args.status = true;
        if (t.size() > 2) {
            return usage(in, "too_many_arguments", t[2]);
        }
        if (t.size() == 2) {
            args.number = parse_number(t[1]);
            if (!args.number) {
                return usage(in, "bad_number", t[1]);
            }
        }
        return accept(in, args);
    }
    std::size_t i = 0;
    // "通知 明天 07:00 all …" schedules; a time after the buildings is part of the text.
    if (auto error = read_targets(in, args.at, args.targets, i)) {
        return std::move(*error);
    }
    if (i >= t.size()) {
        return usage(in, "missing_argument", "");
    }
    args.text = verbatim_from(in, t[i]);
    return accept(in, args);
}

}  // namespace loudong::handlers
