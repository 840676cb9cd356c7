// fuzz_message.h: the property every parser's error message must have, shared by the
// property files of the fuzz targets (idx_properties.h, pgm_properties.h, model_properties.h).
#pragma once

#include <string>

namespace fuzz {

// "" if the message is a proper one-line DataError message for `name`, else what is wrong.
inline std::string check_message(const std::string& message, const std::string& name) {
    if (message.rfind(name + ": ", 0) != 0) return "message does not start with '" + name + ": '";
    if (message.find('\n') != std::string::npos) return "message is more than one line";
    return "";
}

}  // namespace fuzz
