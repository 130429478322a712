#pragma once

#include "interop/CurlCommand.h"
#include "request/RequestDraft.h"

// A curl command someone pasted, as a request to compose: its method, URL, headers and body or
// form as curl would send them. The text is data, never a template: {{…}} in it stays as typed.
class PastedCurl
{
public:
    static RequestDraft draft(const CurlCommand::ParseResult &parsed);
};
