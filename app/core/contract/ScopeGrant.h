#pragma once

#include "workspace/SavedRequest.h"

#include <QList>
#include <QStringList>

#include <optional>

// Whether a token's scopes let it call an operation whose document names its scope requirements
// as alternatives (OpenAPI's security: any one requirement object, all of its scopes).
struct ScopeGrant
{
    enum class State {
        NoToken,       // nothing to judge: no token is held
        NotDocumented, // the operation names no requirement
        Granted,       // one alternative is fully granted (or needs no scope)
        Missing,       // every alternative lacks a scope; `missing` names those of the closest one
    };

    State state = State::NoToken;
    QStringList missing;  // the scopes the closest alternative still needs
    int alternative = -1; // the alternative granted, or the closest one

    // `held`: the scopes the token has; nullopt when no token is held.
    static ScopeGrant evaluate(const QList<ScopeRequirement> &required, const std::optional<QStringList> &held);
    // "a b | c": each alternative's scopes, alternatives separated by " | "; an alternative that
    // needs no scope shows as "(none)".
    static QString describe(const QList<ScopeRequirement> &required);
};
