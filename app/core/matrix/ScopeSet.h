#pragma once

#include <QString>
#include <QStringList>

// What a token is minted for in the scope matrix: one column. The runner mints one token per
// distinct key() and reuses it for every request of that column.
struct ScopeSet
{
    enum class Kind {
        Needed,               // an alternative's scopes: the request must succeed
        MissingScope,         // the needed scopes less one: the request must be denied
        NoToken,              // no Authorization at all: the request must be refused as unauthenticated
        OnBehalfWithoutScope, // the context header sent, the on-behalf-of scope not asked for: denied
    };

    Kind kind = Kind::Needed;
    QStringList scopes;   // what the token is asked for, normalized and sorted; empty for NoToken
    QStringList removed;  // the scope(s) taken away; empty for Needed and NoToken
    // An unrelated read scope asked for instead of an empty set, since servers grant default
    // scopes to a token request that names none; it is then scopes' only member.
    QString substitute;

    // Stable: the kind and the scopes ("needed:a b", "without:b", "no-token", "on-behalf:a").
    // The column's identity, and the token's: two sets with one key are one token.
    QString key() const;
    // For people: "needed: a b", "without a", "no token", "on behalf, without core.users:act-on-behalf-of".
    QString label() const;

    static QString kindName(Kind kind); // "needed", "without", "no-token", "on-behalf"

    bool operator==(const ScopeSet &other) const = default;
};
