// xml.h: just enough of an XML parser for the tests to read back the SVG files the program
// writes, and strict enough to prove they are well-formed.
//
// parse_xml() accepts an optional <?xml ...?> declaration, comments, elements with quoted
// attributes, self-closing elements and text, and it fails (with the reason and the offset)
// on everything a browser's XML parser would refuse in such a file: a closing tag that does
// not match the open one, a tag never closed, an unquoted or repeated attribute, a raw '<' or
// '&' in text or in an attribute value, an unknown entity, a second root element, or anything
// but whitespace after the root. Entities (&amp; &lt; &gt; &quot; &apos; &#N; &#xN;) are
// decoded, so a test compares text with what the program meant to write.
//
// What it is not: a general XML parser. No DTDs, CDATA sections, namespaces or encodings other
// than UTF-8 passed through as bytes: the program never writes them.
#pragma once

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

struct XmlElement {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text;  // the element's own text (not its children's), entities decoded
    std::vector<XmlElement> children;

    std::string attribute(const std::string& key) const {
        const auto it = attributes.find(key);
        return it == attributes.end() ? "" : it->second;
    }
};

struct XmlDocument {
    bool ok = false;
    std::string error;  // why not, with the byte offset
    XmlElement root;
};

namespace xml_detail {

class Parser {
public:
    explicit Parser(const std::string& text) : s_(text) {}

    XmlDocument parse() {
        XmlDocument doc;
        try {
            skip_space();
            if (starts("<?xml")) skip_past("?>");
            skip_misc();
            if (!starts("<")) fail("no root element");
            doc.root = element();
            skip_misc();
            if (i_ != s_.size()) fail("content after the root element");
            doc.ok = true;
        } catch (const std::string& why) {
            doc.error = why;
        }
        return doc;
    }

private:
    const std::string& s_;
    std::size_t i_ = 0;

    [[noreturn]] void fail(const std::string& why) {
        throw why + " (at byte " + std::to_string(i_) + ")";
    }
    bool starts(const char* prefix) const { return s_.compare(i_, std::string(prefix).size(), prefix) == 0; }
    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
    }
    void skip_past(const char* end) {
        const std::size_t at = s_.find(end, i_);
        if (at == std::string::npos) fail(std::string("missing '") + end + "'");
        i_ = at + std::string(end).size();
    }
    void skip_misc() {  // whitespace and comments between elements
        for (;;) {
            skip_space();
            if (!starts("<!--")) return;
            skip_past("-->");
        }
    }
    static bool name_char(char c, bool first) {
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        return letter || (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
    }
    std::string name() {
        const std::size_t start = i_;
        if (i_ >= s_.size() || !name_char(s_[i_], true)) fail("expected a name");
        while (i_ < s_.size() && name_char(s_[i_], false)) ++i_;
        return s_.substr(start, i_ - start);
    }
    // Text up to the next '<' (or a quote, in an attribute), with entities decoded.
    std::string characters(char stop) {
        std::string out;
        while (i_ < s_.size() && s_[i_] != stop && s_[i_] != '<') {
            if (s_[i_] != '&') {
                out += s_[i_++];
                continue;
            }
            const std::size_t semicolon = s_.find(';', i_);
            if (semicolon == std::string::npos || semicolon - i_ > 10) fail("a bare '&'");
            const std::string entity = s_.substr(i_ + 1, semicolon - i_ - 1);
            if (entity == "amp") out += '&';
            else if (entity == "lt") out += '<';
            else if (entity == "gt") out += '>';
            else if (entity == "quot") out += '"';
            else if (entity == "apos") out += '\'';
            else if (entity.size() > 1 && entity[0] == '#') {
                const bool hexadecimal = entity[1] == 'x';
                const long code = std::strtol(entity.c_str() + (hexadecimal ? 2 : 1), nullptr, hexadecimal ? 16 : 10);
                if (code <= 0 || code > 127) fail("character reference outside ASCII: &" + entity + ";");
                out += static_cast<char>(code);
            } else {
                fail("unknown entity &" + entity + ";");
            }
            i_ = semicolon + 1;
        }
        return out;
    }
    XmlElement element() {
        XmlElement e;
        ++i_;  // '<'
        e.name = name();
        for (;;) {
            const std::size_t before = i_;
            skip_space();
            if (starts("/>")) {
                i_ += 2;
                return e;
            }
            if (starts(">")) {
                ++i_;
                break;
            }
            if (i_ == before) fail("expected whitespace before an attribute of <" + e.name + ">");
            const std::string key = name();
            if (!starts("=")) fail("attribute '" + key + "' without '='");
            ++i_;
            if (i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '\'')) fail("unquoted attribute '" + key + "'");
            const char quote = s_[i_++];
            std::string value = characters(quote);
            if (i_ >= s_.size() || s_[i_] != quote) fail("'<' or end of file inside attribute '" + key + "'");
            ++i_;
            if (!e.attributes.emplace(key, value).second) fail("attribute '" + key + "' given twice");
        }
        // Content: text, comments and child elements, up to the matching closing tag.
        for (;;) {
            e.text += characters('<');
            if (i_ >= s_.size()) fail("<" + e.name + "> is never closed");
            if (starts("<!--")) {
                skip_past("-->");
            } else if (starts("</")) {
                i_ += 2;
                const std::string closing = name();
                if (closing != e.name) fail("</" + closing + "> closes <" + e.name + ">");
                skip_space();
                if (!starts(">")) fail("expected '>' after </" + closing);
                ++i_;
                return e;
            } else {
                e.children.push_back(element());
            }
        }
    }
};

}  // namespace xml_detail

inline XmlDocument parse_xml(const std::string& text) { return xml_detail::Parser(text).parse(); }

// Every element named `name` in the tree, in document order.
inline void find_all(const XmlElement& e, const std::string& name, std::vector<const XmlElement*>& out) {
    if (e.name == name) out.push_back(&e);
    for (const XmlElement& child : e.children) find_all(child, name, out);
}

inline std::vector<const XmlElement*> find_all(const XmlElement& root, const std::string& name) {
    std::vector<const XmlElement*> out;
    find_all(root, name, out);
    return out;
}

// Those of them whose class attribute is `cls`.
inline std::vector<const XmlElement*> find_class(const XmlElement& root, const std::string& name,
                                                 const std::string& cls) {
    std::vector<const XmlElement*> out;
    for (const XmlElement* e : find_all(root, name))
        if (e->attribute("class") == cls) out.push_back(e);
    return out;
}
