#include "request/PastedCurl.h"

RequestDraft PastedCurl::draft(const CurlCommand::ParseResult &parsed)
{
    RequestDraft draft;
    draft.method = parsed.method;
    draft.url = parsed.url;
    for (const auto &[name, value] : parsed.headers)
        draft.headers.append({QString::fromLatin1(name), QString::fromUtf8(value), true});
    draft.body = parsed.body;
    draft.contentType = QString::fromLatin1(parsed.contentType);
    for (const auto &field : parsed.form)
        draft.formParts.append({field.name, field.value, field.isFile, true});
    // A form's content type is multipart with a boundary the sender chooses.
    if (!draft.formParts.isEmpty())
        draft.contentType.clear();
    draft.expandBodyVariables = false;
    return draft;
}
