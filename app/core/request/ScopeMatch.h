#pragma once

#include <QString>

// Which held token may serve a request that names its scopes (see TokenScopes): part of the
// request as stored, so it lives with the request's plain data.
enum class ScopeMatch {
    Exact,   // only a token asked for exactly these scopes, no more and no fewer
    AtLeast, // any token asked for (or granted) every one of them
};

struct ScopeMatchName
{
    static QString of(ScopeMatch match); // "exact", "at-least"
    // Accepts "exact", "at-least" (and "at_least", "atleast"), any case.
    static bool parse(const QString &name, ScopeMatch *match);
};
