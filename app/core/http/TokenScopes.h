#pragma once

#include "oauth/AccessToken.h"
#include "request/ScopeMatch.h"

#include <QString>
#include <QStringList>

struct Environment;
struct RequestDraft;

// The scopes a request's token is asked for, and which token already held may serve it. The
// composer and `tokenbench-cli send` both get theirs from forRequest(), so they mean the same:
// scopes the request names get a token asked for exactly them unless the request says "at least"
// (a negative test needs its 403, not a broader token's 200); no scopes named means the
// environment's, and any held token asked for at least those is reused.
struct TokenScopes
{
    using Match = ScopeMatch;

    QStringList scopes;       // split on spaces, without duplicates; empty: a token asked for no scope
    Match match = Match::Exact;
    bool fromEnvironment = false; // the request named none: these are the environment's

    static TokenScopes forRequest(const RequestDraft &draft, const Environment &environment);
    // "a b", ["a", "b c"] → a b c, without duplicates, in the order given.
    static QStringList normalized(const QStringList &scopes);

    // Whether a held token may be sent for these scopes (its freshness is the caller's business).
    bool accepts(const AccessToken &token) const;
    // For people: "exactly accounts:read", "at least accounts:read trades:read (the environment's)",
    // "no scope at all".
    QString describe() const;

    static QString matchName(Match match);  // "exact", "at-least"
    static bool parseMatch(const QString &name, Match *match);

    bool operator==(const TokenScopes &other) const = default;
};
