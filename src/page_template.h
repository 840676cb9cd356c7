// page_template.h: the text of the page that page.h writes, with its {{slots}} still empty.
#pragma once

#include <string>

// The whole template: HTML, CSS and JavaScript (page_template.cpp).
std::string page_template();
