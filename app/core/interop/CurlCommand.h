#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

// curl command lines, both ways. Printing quotes for POSIX sh; parsing reads what browsers
// ("Copy as cURL (bash)"), Postman and Swagger UI produce. Parsing is a tokenizer and an option
// table, nothing more: no shell runs, nothing is expanded or evaluated — $(…), `…`, $VAR and
// {{…}} arrive as the literal text they were.
class CurlCommand
{
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    // A multipart/form-data field: -F name=@path for a file, --form-string name=value for text.
    struct FormField
    {
        QString name;
        QString value; // the text, or the file's path
        bool isFile = false;

        bool operator==(const FormField &other) const = default;
    };

    struct Request
    {
        QString method = QStringLiteral("GET");
        QString url;
        Headers headers;
        QByteArray body;        // not printed when there is a form
        QList<FormField> form;  // curl makes the multipart body (and its boundary) from these
    };

    enum class Credentials {
        Placeholder, // Authorization: Bearer $TOKENBENCH_TOKEN (the default)
        Reveal, // the real value: only on the user's explicit choice
    };

    struct PrintOptions
    {
        Credentials credentials = Credentials::Placeholder;
        // Shell variables standing in for the credentials. A Bearer token (Authorization or
        // Proxy-Authorization) becomes $tokenVariable, any other scheme's credentials
        // $credentialsVariable; the scheme word stays.
        QString tokenVariable = QStringLiteral("TOKENBENCH_TOKEN");
        QString credentialsVariable = QStringLiteral("TOKENBENCH_CREDENTIALS");
        bool multiline = true; // one option per line, joined with " \\\n  "
    };

    struct ParseResult
    {
        QString error; // set when the command cannot be read (unbalanced quotes, no URL …)
        QString method;
        QString url;
        Headers headers; // as given (-H, -A, -b, -e, -u, --oauth2-bearer, --json), in order
        QByteArray body;
        QList<FormField> form;  // -F / --form-string, in order
        // What curl would send as Content-Type: the -H value, else application/json for --json,
        // else application/x-www-form-urlencoded for -d and friends; empty without a body.
        QByteArray contentType;
        QStringList warnings; // options ignored or unsupported, shell syntax not interpreted …
        bool ok() const { return error.isEmpty(); }
        Request request() const { return {method, url, headers, body, form}; }
    };

    static QString print(const Request &request); // with the default PrintOptions
    static QString print(const Request &request, const PrintOptions &options);
    static ParseResult parse(const QString &commandLine);
    // One -F argument as curl reads it (literal: --form-string, where @ and < are not special):
    // name=value, name=@file (a path in double quotes may hold ; and ,), name=<file. What is not
    // kept (;type=, ;filename=) is said in *notes; std::nullopt and *problem when it is unusable.
    static std::optional<FormField> parseFormField(const QByteArray &argument, bool literal, QStringList *notes, QString *problem);

    // The words of a shell command line, with quotes removed and escapes resolved: '…', "…",
    // $'…' (ANSI-C), backslashes, backslash-newline continuations (also \r\n), # comments.
    // Words are bytes: $'\xff' is one byte, not a character. std::nullopt and *error on an
    // unbalanced quote or a trailing escape.
    static std::optional<QList<QByteArray>> tokenize(const QString &commandLine, QString *error = nullptr);

    // 'text' for POSIX sh, ' as '\''.
    static QString shellQuote(const QString &text);
};
