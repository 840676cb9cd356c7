// cli_properties.h: what must hold for ANY command line handed to parse_command_line() (cli.h),
// as one function.
//
// The fuzzer (fuzz_cli.cpp) calls check_cli_input() on millions of generated inputs, and
// test_fuzz_corpus.cpp calls it on every file of tests/fuzz/corpus-cli/. An input is a list of
// arguments separated by zero bytes ("--lr\0" "0x10\0" "--epochs=3"), after a program name.
// The properties:
//   - the only exception that may come out is UsageError, with a message of one line;
//   - an accepted command line gives options inside every range the help states, checked on
//     the values the program will use (floats, so 0.99999999 cannot pass as a momentum below 1);
//   - every numeric value accepted is spelled in the one number syntax: an optional '-',
//     digits, an optional fraction and exponent; no space, '+' in front, hexadecimal, "inf" or
//     "nan" (checked on the text, independently of the parser's own check).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "cli.h"
#include "errors.h"

namespace fuzz {

// The arguments of an input: a program name, then the bytes split at each zero byte. At most
// 64 arguments (more says nothing new).
inline std::vector<std::string> cli_arguments(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> args = {"mnist"};
    std::string current;
    for (std::size_t i = 0; i < size && args.size() < 64; ++i) {
        if (data[i] == 0) {
            args.push_back(current);
            current.clear();
        } else {
            current += static_cast<char>(data[i]);
        }
    }
    if (!current.empty() && args.size() < 64) args.push_back(current);
    return args;
}

// "" if every option of an accepted command line is in its range, else which one is not.
inline std::string check_option_ranges(const Options& o) {
    const OptimizerSettings& s = o.optimizer;
    const RegularizationSettings& r = o.regularization;
    if (o.epochs < 0 || o.epochs > 100000) return "--epochs out of range";
    if (o.batch_size < 1 || o.batch_size > 1000000) return "--batch out of range";
    if (o.hidden.size() > 32) return "more than 32 hidden layers";
    for (int w : o.hidden)
        if (w < 1 || w > 100000) return "a hidden width out of range";
    if (!(s.learning_rate > 0) || !std::isfinite(s.learning_rate) || s.learning_rate >= 1e30f) return "--lr out of range";
    if (!(s.momentum >= 0 && s.momentum < 1)) return "--momentum not in [0, 1)";
    if (!(s.rho >= 0 && s.rho < 1)) return "--rho not in [0, 1)";
    if (!(s.epsilon > 0 && s.epsilon < 1)) return "--eps not in (0, 1)";
    if (!(o.lr_decay > 0 && o.lr_decay <= 1)) return "--lr-decay not in (0, 1]";
    if (!(r.dropout >= 0 && r.dropout < 1)) return "--dropout not in [0, 1)";
    if (!(r.input_dropout >= 0 && r.input_dropout < 1)) return "--input-dropout not in [0, 1)";
    if (!(r.l2 >= 0) || !std::isfinite(r.l2)) return "--l2 not a number from 0 up";
    if (o.valid_count < 0 || o.index < 0 || o.threads < 0 || o.threads > 256) return "--valid, --index or --threads out of range";
    if (o.data_dir.empty()) return "an empty --data";
    return "";
}

// True if text is in the one number syntax: -?digits(.digits?)?([eE][+-]?digits)? or
// -?.digits(...), written out character class by character class.
inline bool plain_number_text(const std::string& text) {
    std::size_t i = 0, digits = 0;
    if (i < text.size() && text[i] == '-') ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
        std::size_t exponent = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++exponent;
        if (exponent == 0) return false;
    }
    return i == text.size();
}

// "" if every value of a numeric option in args is spelled plainly, else the first that is not.
inline std::string check_number_syntax(const std::vector<std::string>& args) {
    static const char* const numeric[] = {"--epochs", "--batch", "--lr", "--momentum", "--rho", "--eps", "--lr-decay",
                                          "--dropout", "--input-dropout", "--l2", "--valid", "--seed", "--index", "--threads"};
    for (std::size_t i = 1; i < args.size(); ++i) {
        std::string flag = args[i], value;
        const std::size_t equals = flag.find('=');
        bool inline_value = false;
        if (flag.rfind("--", 0) == 0 && equals != std::string::npos) {
            value = flag.substr(equals + 1);
            flag = flag.substr(0, equals);
            inline_value = true;
        }
        bool is_numeric = false;
        for (const char* n : numeric) is_numeric = is_numeric || flag == n;
        if (!is_numeric) {
            // Flags with a value of another kind: skip that value.
            if (!inline_value && (flag == "--data" || flag == "--hidden" || flag == "--optimizer" || flag == "--report" ||
                                  flag == "--plots" || flag == "--save" || flag == "--load" || flag == "--kernels"))
                ++i;
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) return "";  // a missing value would have been refused
            value = args[++i];
        }
        if (!plain_number_text(value)) return flag + " accepted '" + value + "', not a plain number";
    }
    return "";
}

// "" if the properties hold for this input, else what broke.
inline std::string check_cli_input(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::string> args = cli_arguments(data, size);
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    Options options;
    try {
        options = parse_command_line(static_cast<int>(argv.size()), argv.data());
    } catch (const UsageError& e) {
        const std::string message = e.what();
        if (message.empty()) return "an empty UsageError message";
        if (message.find('\n') != std::string::npos) return "a UsageError message of more than one line";
        return "";
    } catch (const std::exception& e) {
        return std::string("an exception other than UsageError: ") + e.what();
    }
    const std::string ranges = check_option_ranges(options);
    if (!ranges.empty()) return "accepted, but " + ranges;
    return check_number_syntax(args);
}

}  // namespace fuzz
