// The syntax of 帮助 (handled in handlers/help.cpp).
#include "handlers/parser/parse_input.hpp"

#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {

parse_result parse_help(const parse_input& in) {
    help_args args;
    if (!in.tokens.empty()) {
        args.topic = std::string(in.tokens.front());
    }
    return accept(in, args);
}

}  // namespace loudong::handlers
