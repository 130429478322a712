#include "secrets/CredentialScan.h"

#include "history/Redactor.h"
#include "http/OriginGuard.h"
#include "request/RequestDraft.h"
#include "secrets/KnownSecrets.h"
#include "util/TemplateExpander.h"

#include <QCoreApplication>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CredentialScan", text);
}

// A value that is only {{variables}} (optionally after an auth scheme) holds nothing itself.
bool holdsLiteral(const QString &value)
{
    return !RequestDraft::isCredentialTemplate(value);
}

void appendOnce(QStringList *list, const QString &item)
{
    if (!list->contains(item))
        list->append(item);
}
} // namespace

QString CredentialScan::valueFinding(const QString &value) const
{
    if (value.isEmpty())
        return {};
    if (m_known)
        return m_known->findIn(value);
    // No secrets known: the shape of a token still gives it away.
    return KnownSecrets().findIn(value);
}

QStringList CredentialScan::findings(const RequestDraft &draft) const
{
    QStringList out;
    const Redactor names; // the secret-looking field and parameter names, one list for history and saving
    // variable name → what it feeds ("Authorization", "URL query access_token")
    QList<QPair<QString, QString>> feeds;
    const auto feedsFrom = [&](const QString &value, const QString &target) {
        for (const QString &name : TemplateExpander::placeholders(value))
            feeds.append({name, target});
    };
    const auto byValue = [&](const QString &where, const QString &value) {
        if (const QString found = valueFinding(value); !found.isEmpty())
            appendOnce(&out, tr("%1: holds %2").arg(where, found));
    };

    for (const auto &row : draft.headers) {
        const QString name = row.name.trimmed();
        if (OriginGuard::isCredentialHeader(name.toLatin1())) {
            if (holdsLiteral(row.value))
                appendOnce(&out, tr("header %1: holds a credential").arg(name));
            feedsFrom(row.value, name);
        }
        byValue(tr("header %1").arg(name), row.value);
    }
    for (const auto &entry : draft.injectionSwitches) {
        // The override itself is never written (RequestDraft::toJson); what it is made of may be.
        if (entry.value && OriginGuard::isCredentialHeader(entry.headerName.trimmed().toLatin1()))
            feedsFrom(*entry.value, entry.headerName.trimmed());
        else if (entry.value)
            byValue(tr("the override of %1").arg(entry.headerName.trimmed()), *entry.value);
    }

    const auto checkParameter = [&](const QString &where, const QString &name, const QString &value) {
        if (names.isSensitiveField(name)) {
            if (!value.isEmpty() && holdsLiteral(value) && valueFinding(value).isEmpty())
                appendOnce(&out, tr("%1: holds a credential").arg(where));
            feedsFrom(value, where);
        }
        byValue(where, value);
    };
    const QUrl url(draft.url);
    for (const auto &[name, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
        checkParameter(tr("URL query %1").arg(name), name, value);
    for (const auto &row : draft.queryParams)
        checkParameter(tr("URL query %1").arg(row.name.trimmed()), row.name.trimmed(), row.value);
    // Elsewhere in the URL: its path, user info or fragment.
    if (out.isEmpty())
        byValue(tr("URL"), draft.url);

    for (const auto &part : draft.formParts) {
        if (!part.isFile)
            checkParameter(tr("form field %1").arg(part.name.trimmed()), part.name.trimmed(), part.value);
    }
    if (draft.formParts.isEmpty())
        byValue(tr("body"), QString::fromUtf8(draft.body));

    for (const auto &[name, value] : draft.extraVariables) {
        QStringList targets;
        for (const auto &[variable, target] : std::as_const(feeds)) {
            if (variable == name)
                appendOnce(&targets, target);
        }
        if (!targets.isEmpty() && !value.isEmpty())
            appendOnce(&out, tr("variable %1 (feeds %2)").arg(name, targets.join(u", "_s)));
        else
            byValue(tr("variable %1").arg(name), value);
    }
    return out;
}

QString CredentialScan::problem(const RequestDraft &draft) const
{
    return findings(draft).value(0);
}

QString CredentialScan::storageProblem(const RequestDraft &draft)
{
    if (const QString finding = CredentialScan().problem(draft); !finding.isEmpty())
        return refusal(finding);
    return draft.formatProblem();
}

QString CredentialScan::refusal(const QString &finding)
{
    return tr("%1; put the credential in the environment, not in a saved request. A saved request lives in the workspace "
              "file, which is meant to be shared. The environment's token is injected as Authorization when the request is "
              "sent; its client secret, password and secret token parameters stay in the system keychain "
              "(tokenbench-cli secret set ENV client-secret|password|param:NAME). For any other credential write "
              "{{name}} in the request and give the value only when sending (--var name=VALUE, or the composer's "
              "Variables), so it is never saved.")
        .arg(finding);
}
