// loudong: the webhook server (default) and `loudong say`, its command-line chat client.
#include <cstdlib>
#include <ctime>
#include <iostream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "bot/config.hpp"
#include "bot/households_import.hpp"
#include "bot/say_client.hpp"
#include "bot/server.hpp"
#include "storage/backup.hpp"

int main(int argc, char** argv) {
    using loudong::bot::config;
    CLI::App app{"loudong - the group-chat bot of a residential compound"};
    app.require_subcommand(0, 1);

    std::string config_path;
    std::optional<int> port;
    std::optional<std::string> db;
    std::optional<std::string> listen;
    std::optional<int> threads;
    std::string log_level = "info";
    app.add_option("--config", config_path, "JSON config file")->check(CLI::ExistingFile);
    app.add_option("--port", port, "port to listen on (0 = any free port)");
    app.add_option("--db", db, "SQLite database file");
    app.add_option("--listen", listen, "address to listen on");
    app.add_option("--threads", threads, "I/O threads");
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error");

    loudong::bot::say_options say;
    bool interactive = false;
    std::string text;
    auto* say_cmd = app.add_subcommand("say", "send a message to a running loudong as a resident");
    say_cmd->add_option("--url", say.url, "the generic webhook URL");
    say_cmd->add_option("--chat", say.chat, "chat id, e.g. bldg-3");
    say_cmd->add_option("--chat-title", say.chat_title, "chat title, e.g. 3号楼业主群");
    say_cmd->add_option("--user", say.user, "sender id, e.g. u-502a");
    say_cmd->add_option("--name", say.name, "sender display name, e.g. 王阿姨");
    say_cmd->add_option("--secret", say.secret, "sign the body with this generic secret");
    say_cmd->add_flag("--private", say.is_private, "a one-to-one chat with the bot");
    say_cmd->add_flag("--raw", say.raw, "print the JSON response as received");
    say_cmd->add_flag("-i,--interactive", interactive, "read messages line by line from stdin");
    say_cmd->add_option("text", text, "the message text");

    std::string import_compound;
    std::string import_file;
    auto* households_cmd =
        app.add_subcommand("households", "the household registry of a compound (SPEC §7)");
    households_cmd->require_subcommand(1);
    auto* import_cmd = households_cmd->add_subcommand(
        "import", "list a compound's rooms from a CSV file: building,room[,note]");
    import_cmd->add_option("--compound", import_compound, "compound id, e.g. zijing")->required();
    import_cmd->add_option("file", import_file, "CSV file (UTF-8 or Excel's GBK)")
        ->required()
        ->check(CLI::ExistingFile);

    std::string backup_file;
    auto* backup_cmd = app.add_subcommand(
        "backup", "copy the database to FILE, safely while the server runs, and check the copy");
    backup_cmd->add_option("file", backup_file, "the new backup file (never overwritten)")
        ->required();

    CLI11_PARSE(app, argc, argv);

    if (say_cmd->parsed()) {
        if (interactive) {
            return loudong::bot::say_interactive(say, std::cin, std::cout, std::cerr);
        }
        if (text.empty()) {
            std::cerr << "say: give the message text, or -i for interactive mode\n";
            return 2;
        }
        return loudong::bot::say_once(say, text, std::cout, std::cerr);
    }

    // stdout carries only the "listening on" line, so scripts can read the port from it.
    spdlog::set_default_logger(spdlog::stderr_color_mt("loudong"));
    spdlog::set_level(spdlog::level::from_str(log_level));
    config cfg;
    try {
        if (!config_path.empty()) {
            cfg.apply_file(config_path);
        }
        if (port) {
            cfg.port = *port;
        }
        if (db) {
            cfg.db = *db;
        }
        if (listen) {
            cfg.listen = *listen;
        }
        if (threads) {
            cfg.threads = *threads;
        }
        cfg.validate();
    } catch (const loudong::bot::config_error& e) {
        std::cerr << "loudong: " << e.what() << "\n";
        return 2;
    }
    // Log times are the compound's, with their offset ("2026-11-29 08:05:01.123 +08:00"), so
    // a committee's "at eight the bot said nothing" is found without converting from UTC.
    // Handlers never read local time (they convert with the configured zone), so setting the
    // process's zone touches only the logs.
    setenv("TZ", cfg.timezone.c_str(), 1);
    tzset();
    spdlog::set_pattern("[%Y-%m-%d %H:%M:%S.%e %z] [%l] %v");

    if (backup_cmd->parsed()) {
        try {
            const auto made = loudong::storage::backup(cfg.db, backup_file);
            std::cout << "loudong: backed up " << cfg.db << " to " << backup_file << " ("
                      << made.bytes << " bytes, schema version " << made.schema_version
                      << ", integrity ok)\n";
            return 0;
        } catch (const loudong::storage::backup_error& e) {
            std::cerr << "loudong: no backup made: " << e.what() << "\n";
            return 1;
        }
    }

    if (import_cmd->parsed()) {
        return loudong::bot::import_households(cfg, import_compound, import_file, std::cout,
                                               std::cerr);
    }

    try {
        loudong::bot::server srv(cfg);
        std::cout << "listening on " << cfg.listen << ":" << srv.port() << std::endl;
        spdlog::info("database {}, time zone {}, locale {}", cfg.db, cfg.timezone, cfg.locale);
        for (const auto& [id, compound] : cfg.effective_compounds()) {
            spdlog::info("compound {} ({}): {} committee member(s) from config", id, compound.name,
                         compound.committee.size());
        }
        if (!cfg.street.empty()) {
            spdlog::info("street office: {} member(s) with committee rights in every compound",
                         cfg.street.size());
        }
        for (const auto& endpoint : cfg.endpoints()) {
            if (endpoint.warning) {
                spdlog::warn("endpoint {}: {}", endpoint.path, endpoint.how);
            } else {
                spdlog::info("endpoint {}: {}", endpoint.path, endpoint.how);
            }
        }
        srv.run();
    } catch (const std::exception& e) {
        std::cerr << "loudong: cannot start: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
