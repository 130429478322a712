#pragma once

#include "http/BuiltRequest.h"
#include "request/RequestDraft.h"
#include "util/TemplateExpander.h"
#include "workspace/Environment.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

// Turns a RequestDraft into a BuiltRequest for one environment: {{variables}} from the
// request and the environment (TemplateExpander: never evaluated), the URL made absolute
// against the API base, query rows encoded, header names and values checked so nothing can
// smuggle a second header or a credential into the URL.
class RequestBuilder
{
public:
    // Whether the files of a multipart form are read: a preview, built on every keystroke,
    // only describes them, so a big file never stalls the composer.
    enum class Files { Read, Describe };
    static BuiltRequest build(const RequestDraft &draft, const Environment &environment, Files files = Files::Read);

    // The request's extra variables first, so they win over the environment's.
    static TemplateExpander::Variables variablesFor(const RequestDraft &draft, const Environment &environment);

    // An absolute http(s) URL as it is; anything else is a path appended to the API base
    // (OpenAPI's rule: https://x/api + /accounts = https://x/api/accounts). A path that already
    // starts with the base's path is not doubled, so "/api/accounts" works there too.
    static QUrl resolveUrl(const QString &urlOrPath, const QUrl &apiBase, QString *problem);
    // Standard methods upper-cased; others kept as typed. Empty when it is no HTTP token.
    static QByteArray normalizedMethod(const QString &method);
    // For a body without a Content-Type: JSON, UTF-8 text or octets.
    static QByteArray guessContentType(const QByteArray &body);
    // RFC 9110 §5.6.2 token: what header names and methods must be.
    static bool isToken(const QByteArray &text);
    // Why a header value cannot be sent (a line break or NUL would start another header); empty when it can.
    static QString headerValueProblem(const QString &name, const QString &value);
    static bool isValidUtf8(const QByteArray &bytes);

private:
    static void buildMultipart(const RequestDraft &draft, Files files, BuiltRequest *built);
};
