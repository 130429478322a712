#pragma once

#include "workspace/Environment.h"

#include <QString>
#include <QUrl>

// Which tier a server of an API document is, from the words vendors use for it in its host name
// (api.sandbox.example.com, api-staging.example.com) or its description ("Production environment",
// "PayPal Live Environment"). The host name decides when it says anything; Custom when neither does.
// Only a guess: the import preview shows it for the user to confirm.
class TierGuess
{
public:
    static Tier fromServer(const QUrl &url, const QString &description);
    // The tier the words of one text name, if any.
    static std::optional<Tier> fromText(const QString &text);
};
