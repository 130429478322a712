#include "history/ReplayPlan.h"

#include "history/Redactor.h"
#include "http/HeaderInjector.h"
#include "workspace/Environment.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ReplayPlan", text);
}

QString digest(const QJsonValue &value)
{
    const QByteArray bytes = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(32));
}

QJsonArray pairs(const QList<QPair<QString, QString>> &list)
{
    QJsonArray out;
    for (const auto &[name, value] : list)
        out.append(QJsonArray{name, value});
    return out;
}

// The fingerprint's parts in the order they are reported, with the words that name them.
struct Part
{
    QString key;
    const char *words;
};
const Part kParts[] = {
    {u"api"_s, QT_TRANSLATE_NOOP("ReplayPlan", "its API base URL")},
    {u"headers"_s, QT_TRANSLATE_NOOP("ReplayPlan", "its context headers")},
    {u"variables"_s, QT_TRANSLATE_NOOP("ReplayPlan", "its variables")},
    {u"scopes"_s, QT_TRANSLATE_NOOP("ReplayPlan", "its default scopes")},
    {u"token"_s, QT_TRANSLATE_NOOP("ReplayPlan", "its token settings")},
    {u"trust"_s, QT_TRANSLATE_NOOP("ReplayPlan", "its certificate and plain-http settings")},
    {u"tier"_s, QT_TRANSLATE_NOOP("ReplayPlan", "its tier")},
};

// The pre-schema-2 replay: the wire form, less what the environment injects again and what the
// redactor masked. Kept for old entries, and said to be approximate.
RequestDraft draftFromWire(const HistoryEntry &entry, const Environment *environment, QStringList *differences)
{
    RequestDraft draft;
    draft.method = entry.method;
    draft.url = entry.url;
    const QList<QByteArray> injected = environment ? HeaderInjector::guardedHeaderNames(*environment) : QList<QByteArray>{"Authorization"};
    for (const auto &header : entry.requestHeaders) {
        const QByteArray &name = header.first;
        const bool isInjected
            = std::any_of(injected.cbegin(), injected.cend(), [&name](const QByteArray &n) { return n.compare(name, Qt::CaseInsensitive) == 0; });
        if (isInjected)
            continue;
        if (header.second.contains(Redactor::maskUtf8())) {
            differences->append(tr("The header %1 was redacted in the history and is left out.").arg(QString::fromLatin1(name)));
            continue;
        }
        draft.headers.append({QString::fromLatin1(name), QString::fromUtf8(header.second), true});
    }
    if (entry.requestBodyTruncated)
        differences->append(tr("The body was cut in the history and is left out."));
    else
        draft.body = entry.requestBody;
    draft.expandBodyVariables = false;
    return draft;
}
} // namespace

QJsonObject ReplayPlan::fingerprint(const Environment &environment)
{
    QJsonArray headers;
    for (const auto &header : environment.headers)
        headers.append(QJsonArray{header.name, header.valueTemplate});
    QJsonArray params;
    for (const auto &param : environment.params)
        params.append(QJsonArray{param.name, param.secret ? QString() : param.value, param.secret});
    return {
        {u"api"_s, digest(environment.apiBaseUrl.toString(QUrl::FullyEncoded))},
        {u"headers"_s, digest(headers)},
        {u"variables"_s, digest(pairs(environment.variables))},
        {u"scopes"_s, digest(QJsonArray::fromStringList(environment.scopes))},
        {u"token"_s, digest(QJsonArray{environment.tokenUrl.toString(QUrl::FullyEncoded), Environment::grantName(environment.grant),
                                       Environment::clientAuthName(environment.clientAuth), environment.clientId, environment.username,
                                       params})},
        {u"trust"_s, digest(QJsonArray{environment.allowInsecureHttp, QString::fromLatin1(environment.trustedCertificates)})},
        {u"tier"_s, Environment::tierName(environment.tier)},
    };
}

bool ReplayPlan::holdsRedactedValue(const RequestDraft &draft)
{
    return QJsonDocument(draft.toHistoryJson()).toJson(QJsonDocument::Compact).contains(Redactor::maskUtf8());
}

QStringList ReplayPlan::changedParts(const QJsonObject &then, const QJsonObject &now)
{
    QStringList changed;
    for (const Part &part : kParts) {
        // A part the recording did not know (an older fingerprint) cannot be compared, so it is not claimed changed.
        if (then.contains(part.key) && then.value(part.key) != now.value(part.key))
            changed.append(tr(part.words));
    }
    return changed;
}

ReplayPlan ReplayPlan::forEntry(const HistoryEntry &entry, const Environment *environment)
{
    ReplayPlan plan;
    plan.environmentId = environment ? environment->id : QString();
    plan.environmentName = entry.environmentName;
    const QString name = entry.environmentName.isEmpty() ? tr("(unnamed)") : entry.environmentName;
    if (!environment)
        plan.differences.append(
            tr("The environment \"%1\" it was sent on no longer exists: it would go with the active environment's URL, token and headers.").arg(name));

    if (!entry.composed) {
        plan.approximate = true;
        plan.differences.prepend(tr("Recorded before Tokenbench kept requests as composed: rebuilt from what went on the wire, with the "
                                    "environment's headers, scopes and variables as they are now, not as they were."));
        plan.draft = draftFromWire(entry, environment, &plan.differences);
        return plan;
    }

    const HistoryEntry::Composed &composed = *entry.composed;
    plan.draft = composed.draft;
    for (const QString &item : composed.redacted)
        plan.redactionDifferences.append(tr("Redacted in the history: %1. It shows as ••••, and is sent so unless you type it again.").arg(item));
    plan.differences.append(plan.redactionDifferences);
    if (composed.bodyTruncated)
        plan.differences.append(tr("The body was %1; the history kept only the first %2, and only that part would be sent.")
                                    .arg(QLocale().formattedDataSize(composed.bodySize), QLocale().formattedDataSize(plan.draft.body.size())));
    for (const auto &part : plan.draft.formParts) {
        if (!part.enabled || !part.isFile)
            continue;
        const bool exists = QFileInfo(part.value).isFile();
        plan.differences.append(exists ? tr("The file of form field \"%1\" is read again from %2; the history did not keep its content.").arg(part.name, part.value)
                                       : tr("The file of form field \"%1\", %2, no longer exists.").arg(part.name, part.value));
    }
    if (environment && !composed.environment.isEmpty()) {
        const QStringList changed = changedParts(composed.environment, fingerprint(*environment));
        if (!changed.isEmpty())
            plan.differences.append(tr("The environment \"%1\" changed since it was sent: %2.").arg(environment->name, changed.join(u", "_s)));
    }
    return plan;
}
