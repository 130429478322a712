#pragma once

#include "oauth/AccessToken.h"
#include "oauth/OAuthError.h"

#include <QByteArray>
#include <QDateTime>
#include <QStringList>
#include <QUrl>

#include <optional>

struct TokenResult
{
    std::optional<AccessToken> token;
    OAuthError error;
    // The held refresh token was turned down and the grant itself ran: it is to be forgotten.
    bool refreshRefused = false;
    bool ok() const { return token.has_value(); }
};

// Turns a token endpoint's answer into an AccessToken or an OAuthError. Liberal in what it
// accepts (token_type in any case, expires_in as string, extra fields), precise in what it reports.
class TokenResponseParser
{
public:
    static TokenResult parse(int httpStatus, const QByteArray &contentType, const QByteArray &body,
                             const QUrl &endpoint, const QStringList &requestedScopes, const QDateTime &now);
    // The start of a body as one printable line, for error messages about non-JSON answers.
    static QString excerpt(const QByteArray &body, int maxChars = 200);
};
