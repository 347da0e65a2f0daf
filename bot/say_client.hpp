#pragma once

#include <iosfwd>
#include <string>

namespace loudong::bot {

/// Who is speaking where, for `loudong say`.
struct say_options {
    std::string url = "http://127.0.0.1:8080/hook/generic";
    std::string chat = "bldg-3";
    std::string chat_title;
    std::string user = "u-demo";
    std::string name;
    std::string secret;  ///< signs the body like a configured bridge would
    bool is_private = false;
    bool raw = false;  ///< print the response body as received
};

/// Sends one message to the generic webhook and prints the bot's replies. Returns an exit
/// code: 0 when answered with 200, 1 otherwise (the error is printed).
int say_once(const say_options& options, const std::string& text, std::ostream& out,
             std::ostream& err);

/// Reads lines from `in` and sends each as a message; `:chat ID [title]`, `:user ID [name]`
/// and `:private on|off` switch who speaks where, so one person can play a whole compound.
int say_interactive(say_options options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace loudong::bot
