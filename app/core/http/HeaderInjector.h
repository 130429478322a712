#pragma once

#include "http/BuiltRequest.h"
#include "http/InjectedHeader.h"
#include "http/OriginGuard.h"
#include "request/RequestDraft.h"
#include "oauth/AccessToken.h"
#include "workspace/Environment.h"

#include <QList>
#include <QStringList>

#include <optional>

// Adds what the environment adds to every request: Authorization from the token and the
// context headers (X-On-Behalf-Of: user {{userId}}, …), each with its source, after the
// request's switches (off, or another value) and the origin guard (nothing for other origins).
class HeaderInjector
{
public:
    struct Plan
    {
        QList<InjectedHeader> headers;
        QStringList unresolved; // {{names}} in headers that would be sent
        QStringList problems;

        bool ok() const { return unresolved.isEmpty() && problems.isEmpty(); }
    };

    static QString tokenSource() { return QStringLiteral("token"); }
    static QString environmentSource(const QString &headerName) { return QStringLiteral("environment header ") + headerName; }

    // token may be empty when Authorization will not be sent (withheld, disabled, overridden).
    static Plan plan(const Environment &environment, const std::optional<AccessToken> &token, const RequestDraft &draft,
                     const BuiltRequest &built, const OriginGuard &guard);
    // Whether the request as built will carry the environment's token, so one must be had first.
    static bool needsToken(const RequestDraft &draft, const BuiltRequest &built, const OriginGuard &guard);
    // Appends the headers that are sent.
    static void apply(const QList<InjectedHeader> &injected, HttpHeaders *headers);
    // "Bearer <token>": a token_type of bearer in any case (or none) is written "Bearer" (RFC 6750);
    // another type is written as the server named it.
    static QByteArray authorizationValue(const AccessToken &token);
    // Authorization and the environment's context header names: the headers never sent to another origin.
    static QList<QByteArray> guardedHeaderNames(const Environment &environment);
};
