#include "history/DraftRedactor.h"

#include "history/Redactor.h"
#include "util/TemplateExpander.h"

#include <QCoreApplication>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("DraftRedactor", text);
}
} // namespace

RequestDraft DraftRedactor::redact(const RequestDraft &draft, QStringList *what) const
{
    const Redactor &r = m_redactor;
    if (r.keepsEverything())
        return draft;
    RequestDraft out = draft;
    QStringList credentialVariables;
    const auto note = [what](const QString &item) {
        if (what && !what->contains(item))
            what->append(item);
    };
    // A value that is only {{placeholders}} is kept; the placeholders it names then carry the
    // secret, so they are masked among the variables.
    const auto keepTemplate = [&credentialVariables](const QString &value) {
        if (!RequestDraft::isCredentialTemplate(value))
            return false;
        for (const QString &name : TemplateExpander::placeholders(value)) {
            if (!credentialVariables.contains(name))
                credentialVariables.append(name);
        }
        return true;
    };
    const auto headerValue = [&](const QString &name, const QString &value) {
        if (r.isSensitiveHeader(name.toUtf8()) && keepTemplate(value))
            return value;
        return QString::fromUtf8(r.redactHeaderValue(name.toUtf8(), value.toUtf8()));
    };

    out.url = r.redactUrl(draft.url);
    if (out.url != draft.url)
        note(tr("the URL"));
    for (auto &row : out.queryParams) {
        const QString before = row.value;
        if (r.isSensitiveQueryParameter(row.name) && !keepTemplate(row.value) && !row.value.isEmpty())
            row.value = Redactor::mask();
        row.value = QString::fromUtf8(r.redactSecretValues(row.value.toUtf8()));
        if (row.value != before)
            note(tr("query parameter %1").arg(row.name));
    }
    for (auto &row : out.headers) {
        const QString before = row.value;
        row.value = headerValue(row.name, row.value);
        if (row.value != before)
            note(tr("header %1").arg(row.name));
    }
    for (auto &injection : out.injectionSwitches) {
        if (!injection.value)
            continue;
        const QString before = *injection.value;
        injection.value = headerValue(injection.headerName, before);
        if (*injection.value != before)
            note(tr("the override of %1").arg(injection.headerName));
    }
    for (auto &part : out.formParts) {
        const QString before = part.value;
        if (!part.isFile && r.isSensitiveField(part.name) && !keepTemplate(part.value) && !part.value.isEmpty())
            part.value = Redactor::mask();
        part.value = QString::fromUtf8(r.redactSecretValues(part.value.toUtf8()));
        if (part.value != before)
            note(tr("form field %1").arg(part.name));
    }
    if (!draft.body.isEmpty()) {
        const QByteArray type = draft.contentType.toUtf8();
        out.body = r.redactBody(draft.body, type);
        if (out.body != draft.body)
            note(tr("the body"));
    }
    for (auto &[name, value] : out.extraVariables) {
        const QString before = value;
        if ((credentialVariables.contains(name) || r.isSensitiveField(name)) && !value.isEmpty())
            value = Redactor::mask();
        value = QString::fromUtf8(r.redactSecretValues(value.toUtf8()));
        if (value != before)
            note(tr("variable %1").arg(name));
    }
    return out;
}


void DraftRedactor::maskVariablesMaskedOnTheWire(const HistoryEntry &sent, const HistoryEntry &kept, RequestDraft *draft, QStringList *what)
{
    const auto wireText = [](const HistoryEntry &e) {
        QByteArray text = e.url.toUtf8() + '\n' + e.requestBody;
        for (const auto &[name, value] : e.requestHeaders)
            text += '\n' + value;
        return text;
    };
    const QByteArray before = wireText(sent);
    const QByteArray after = wireText(kept);
    for (auto &[name, value] : draft->extraVariables) {
        const QByteArray bytes = value.toUtf8();
        if (bytes.size() >= Redactor::MinimumSecretLength && !value.contains(Redactor::mask()) && before.contains(bytes) && !after.contains(bytes)) {
            value = Redactor::mask();
            if (what && !what->contains(tr("variable %1").arg(name)))
                what->append(tr("variable %1").arg(name));
        }
    }
}
