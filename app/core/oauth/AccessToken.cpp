#include "oauth/AccessToken.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QString codePoint(char32_t c)
{
    return u"U+%1"_s.arg(static_cast<uint>(c), 4, 16, QChar(u'0')).toUpper();
}

// What is wrong with one character of a header value, or nothing. Space and tab may stand
// inside a value; HTTP strips them at its ends.
QString characterProblem(char32_t c)
{
    if (c == U'\r' || c == U'\n')
        return u"a line break (%1)"_s.arg(codePoint(c));
    if (c < 0x20 ? c != U'\t' : c == 0x7f)
        return u"a control character (%1)"_s.arg(codePoint(c));
    if (c > 0x7e)
        return u"a character outside ASCII (%1)"_s.arg(codePoint(c));
    return {};
}

// RFC 9110 §5.6.2 tchar: what an authentication scheme's name is made of.
bool isTokenChar(char32_t c)
{
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9')
        || (c < 0x7f && QByteArrayView("!#$%&'*+-.^_`|~").contains(static_cast<char>(c)));
}
} // namespace

QString AccessToken::headerProblem() const
{
    if (value.isEmpty())
        return u"the access_token is empty"_s;
    if (value.size() > maxValueChars)
        return u"the access_token is %1 characters long; more than %2 cannot be sent in a request header"_s.arg(value.size()).arg(maxValueChars);
    const QList<uint> chars = value.toUcs4();
    for (qsizetype i = 0; i < chars.size(); ++i) {
        const QString problem = characterProblem(chars.at(i));
        if (!problem.isEmpty())
            return u"the access_token contains %1 at character %2; a request header cannot carry it"_s.arg(problem).arg(i + 1);
    }
    if (value.front().isSpace() || value.back().isSpace())
        return u"the access_token begins or ends with white space, which HTTP drops from a header"_s;
    const QString scheme = tokenType.trimmed();
    const QList<uint> schemeChars = scheme.toUcs4();
    if (scheme.size() > 64 || !std::all_of(schemeChars.cbegin(), schemeChars.cend(), isTokenChar))
        return u"the token_type is not an authentication scheme name (at most 64 letters, digits and !#$%&'*+-.^_`|~)"_s;
    return {};
}

qint64 AccessToken::secondsLeft(const QDateTime &now) const
{
    return expiresAt.isValid() ? now.secsTo(expiresAt) : -1;
}

qint64 AccessToken::lifetimeSeconds() const
{
    return expiresAt.isValid() && obtainedAt.isValid() ? obtainedAt.secsTo(expiresAt) : -1;
}

bool AccessToken::needsRenewal(const QDateTime &now) const
{
    if (!expiresAt.isValid())
        return false; // nothing to go by; a 401 will tell
    const qint64 margin = std::clamp<qint64>(lifetimeSeconds() / 10, 0, 30);
    return now.secsTo(expiresAt) <= margin;
}

QStringList AccessToken::missingScopes() const
{
    if (scopeSource == ScopeSource::NotReported)
        return {};
    QStringList missing;
    for (const auto &scope : requestedScopes) {
        if (!grantedScopes.contains(scope))
            missing.append(scope);
    }
    return missing;
}
