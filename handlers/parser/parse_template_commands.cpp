// The syntax of 模板 (handled in handlers/template_commands.cpp).
#include "handlers/parser/parse_input.hpp"

#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {

parse_result parse_template(const parse_input& in) {
    const auto& t = in.tokens;
    template_args args;
    if (t.empty()) {
        return accept(in, args);
    }
    args.key = std::string(t[0]);
    if (t.size() == 1) {
        args.what = template_args::action::show;
        return accept(in, args);
    }
    const auto action = ascii_lower(t[1]);
    if (action == "set" || t[1] == "设置" || t[1] == "修改" || t[1] == "改成" || t[1] == "改为") {
        if (t.size() < 3) {
            return usage(in, "missing_argument", "");
        }
        args.what = template_args::action::set;
        args.text = verbatim_from(in, t[2]);
        return accept(in, args);
    }
    if (action == "reset" || t[1] == "恢复" || t[1] == "重置") {
        if (t.size() > 2) {
            return usage(in, "too_many_arguments", t[2]);
        }
        args.what = template_args::action::reset;
        return accept(in, args);
    }
    return usage(in, "too_many_arguments", t[1]);
}

}  // namespace loudong::handlers
