#include "scopes/ScopeInfo.h"

#include <QCoreApplication>
#include <QStringList>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

// Verbs are compared without case, '-' and '_', so "read-only", "ReadWrite" and "act_on_behalf_of"
// are recognised the way their APIs spell them.
QString normalizedVerb(const QString &word)
{
    QString verb = word.toLower();
    verb.remove(u'-');
    verb.remove(u'_');
    return verb;
}

bool isDelegationVerb(const QString &word)
{
    const QString verb = normalizedVerb(word);
    return verb == "actonbehalfof"_L1 || verb == "impersonate"_L1 || verb == "impersonation"_L1;
}

std::optional<ScopeInfo::Level> levelOfVerb(const QString &word)
{
    static const QStringList readVerbs = {u"read"_s, u"list"_s, u"get"_s, u"view"_s, u"readonly"_s, u"readbasic"_s};
    static const QStringList writeVerbs = {u"write"_s,  u"update"_s, u"create"_s, u"edit"_s,     u"modify"_s,
                                           u"delete"_s, u"manage"_s, u"admin"_s,  u"readwrite"_s};
    static const QStringList executeVerbs = {u"execute"_s, u"exec"_s, u"run"_s, u"transfer"_s};

    if (isDelegationVerb(word))
        return ScopeInfo::Level::Execute;
    const QString verb = normalizedVerb(word);
    if (readVerbs.contains(verb))
        return ScopeInfo::Level::Read;
    if (writeVerbs.contains(verb))
        return ScopeInfo::Level::Write;
    if (executeVerbs.contains(verb))
        return ScopeInfo::Level::Execute;
    return std::nullopt;
}

void applyAction(ScopeInfo &info, const QString &action)
{
    info.action = action;
    info.level = levelOfVerb(action).value_or(ScopeInfo::Level::Other);
    info.actsOnBehalfOf = isDelegationVerb(action);
}

// "https://www.googleapis.com/auth/drive.readonly", "https://graph.microsoft.com/.default",
// "api://<app id>/access_as_user": the level comes from the dotted words of the last segment, read
// from the end so Microsoft's "Directory.ReadWrite.All" is a write scope.
void classifyUrl(ScopeInfo &info, const QString &name, qsizetype schemeEnd)
{
    const QString rest = name.mid(schemeEnd + 3);
    const qsizetype lastSlash = rest.lastIndexOf(u'/');
    if (lastSlash < 0) {
        info.resource = rest;
        return;
    }
    info.resource = rest.left(lastSlash);
    while (info.resource.endsWith(u'/'))
        info.resource.chop(1);
    info.action = rest.mid(lastSlash + 1);

    const QStringList words = info.action.split(u'.', Qt::SkipEmptyParts);
    for (auto it = words.crbegin(); it != words.crend(); ++it) {
        if (const auto level = levelOfVerb(*it)) {
            info.level = *level;
            info.actsOnBehalfOf = isDelegationVerb(*it);
            break;
        }
    }
}

} // namespace

ScopeInfo ScopeInfo::classify(const QString &name, const QString &description)
{
    ScopeInfo info;
    info.name = name;
    info.description = description;
    const QString scope = name.trimmed();
    if (scope.isEmpty())
        return info;

    if (const qsizetype schemeEnd = scope.indexOf("://"_L1); schemeEnd > 0) {
        classifyUrl(info, scope, schemeEnd);
        return info;
    }

    if (scope.contains(u':')) {
        const QStringList parts = scope.split(u':');
        // Cyclr restricts a token to one account with "account:<id>"; the id is no action.
        if (parts.size() == 2 && parts.first().compare("account"_L1, Qt::CaseInsensitive) == 0 && !parts.last().isEmpty()
            && !levelOfVerb(parts.last())) {
            info.resource = parts.first();
            info.accountRestricted = true;
            info.restrictedTo = parts.last();
            return info;
        }
        // Cymbio and GitHub put the verb first ("read:orders"), Cybrid last ("trades:read").
        if (levelOfVerb(parts.first()) && !levelOfVerb(parts.last())) {
            info.resource = parts.mid(1).join(u':');
            applyAction(info, parts.first());
        } else if (parts.size() > 2 && levelOfVerb(parts.last())) {
            info.resource = parts.mid(0, parts.size() - 1).join(u':');
            applyAction(info, parts.last());
        } else {
            info.resource = parts.first();
            applyAction(info, parts.mid(1).join(u':'));
        }
        return info;
    }

    // Microsoft's short form "User.Read", "Mail.ReadWrite.All": split only where a verb is found,
    // so names that merely contain dots stay whole.
    if (scope.contains(u'.')) {
        const QStringList words = scope.split(u'.');
        for (qsizetype i = words.size() - 1; i > 0; --i) {
            if (levelOfVerb(words.at(i))) {
                info.resource = words.mid(0, i).join(u'.');
                applyAction(info, words.at(i));
                return info;
            }
        }
    }

    // Bare verbs ("read", "write") name no resource; other bare words ("openid", "profile",
    // "offline_access") are neither resource nor action.
    if (levelOfVerb(scope))
        applyAction(info, scope);
    return info;
}

QString ScopeInfo::levelName(Level level)
{
    switch (level) {
    case Level::Read:
        return QCoreApplication::translate("ScopeInfo", "read");
    case Level::Write:
        return QCoreApplication::translate("ScopeInfo", "write");
    case Level::Execute:
        return QCoreApplication::translate("ScopeInfo", "execute");
    case Level::Other:
        break;
    }
    return QCoreApplication::translate("ScopeInfo", "other");
}

QString ScopeInfo::syntaxProblem(const QString &name)
{
    if (name.isEmpty())
        return QCoreApplication::translate("ScopeInfo", "a scope cannot be empty");
    for (const QChar c : name) {
        if (c.isSpace())
            return QCoreApplication::translate("ScopeInfo", "a scope cannot contain spaces; separate scopes with a space");
        if (c == u'"')
            return QCoreApplication::translate("ScopeInfo", "a scope cannot contain a double quote (\")");
        if (c == u'\\')
            return QCoreApplication::translate("ScopeInfo", "a scope cannot contain a backslash (\\)");
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return QCoreApplication::translate("ScopeInfo", "a scope can only contain printable ASCII characters");
    }
    return {};
}
