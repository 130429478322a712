#include "contract/TierGuess.h"

#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

std::optional<Tier> TierGuess::fromText(const QString &text)
{
    static const QSet<QString> staging{u"staging"_s, u"stage"_s, u"stg"_s, u"uat"_s, u"preprod"_s, u"preproduction"_s, u"qa"_s};
    static const QSet<QString> sandbox{u"sandbox"_s, u"sbx"_s, u"test"_s, u"testing"_s, u"dev"_s, u"development"_s, u"demo"_s};
    static const QSet<QString> production{u"production"_s, u"prod"_s, u"live"_s};
    static const QRegularExpression separators(u"[^a-z0-9]+"_s);
    QString lowered = text.toLower();
    // "pre-prod" is staging, not prod.
    lowered.replace(u"pre-prod"_s, u"preprod"_s).replace(u"pre prod"_s, u"preprod"_s);
    const QStringList words = lowered.split(separators, Qt::SkipEmptyParts);
    // Checked from the safest claim to the strongest: a word for staging or sandbox wins over one
    // for production in the same text ("a sandbox that mirrors production").
    for (const QString &word : words) {
        if (staging.contains(word))
            return Tier::Staging;
    }
    for (const QString &word : words) {
        if (sandbox.contains(word))
            return Tier::Sandbox;
    }
    for (const QString &word : words) {
        if (production.contains(word))
            return Tier::Production;
    }
    return std::nullopt;
}

Tier TierGuess::fromServer(const QUrl &url, const QString &description)
{
    // Without its top-level domain: ".test" and ".dev" name no tier.
    const QString host = url.host().contains(u'.') ? url.host().section(u'.', 0, -2) : url.host();
    if (const auto fromHost = fromText(host))
        return *fromHost;
    if (const auto fromDescription = fromText(description))
        return *fromDescription;
    return Tier::Custom;
}
