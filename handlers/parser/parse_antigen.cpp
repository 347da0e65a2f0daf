// The syntax of 抗原 (handled in handlers/antigen.cpp).
#include "handlers/parser/parse_input.hpp"

#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {

parse_result parse_antigen(const parse_input& in) {
    return one_argument(in, true, "bad_result", parse_antigen_result,
                        [](std::optional<antigen_args::result> r) { return antigen_args{*r}; });
}

}  // namespace loudong::handlers
