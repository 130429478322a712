#include "MatrixCellDetail.h"

#include "HistoryEntryView.h"
#include "MatrixVerdictStyle.h"
#include "PlainToolTips.h"
#include "ResponseView.h"
#include "http/InjectedHeader.h"
#include "matrix/ScopeSet.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace {
HistoryEntry::Headers headersOf(const QJsonValue &value)
{
    HistoryEntry::Headers headers;
    for (const QJsonValue &pair : value.toArray()) {
        const QJsonArray nameValue = pair.toArray();
        if (nameValue.size() == 2)
            headers.append({nameValue.at(0).toString().toLatin1(), nameValue.at(1).toString().toUtf8()});
    }
    return headers;
}

QString scopesText(const QStringList &scopes)
{
    return scopes.isEmpty() ? MatrixCellDetail::tr("no scope") : scopes.join(u' ');
}
} // namespace

MatrixCellDetail::MatrixCellDetail(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("matrixCellDetail"));
    m_chip = new QLabel(this);
    m_chip->setObjectName(QStringLiteral("matrixCellVerdict"));
    m_chip->setAutoFillBackground(true);
    m_chip->setAlignment(Qt::AlignCenter);
    m_chip->setMargin(4);
    m_chip->setTextFormat(Qt::PlainText);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("matrixCellSummary"));
    // The detail repeats what the server answered: shown as text, never drawn as HTML.
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_exchange = new HistoryEntryView(this);
    m_exchange->setObjectName(QStringLiteral("matrixExchange"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_chip, 0, Qt::AlignTop);
    top->addWidget(m_summary, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_exchange, 1);
    clear();
}

void MatrixCellDetail::clear()
{
    setPending(tr("Click a cell to see the exchange that proves its verdict."));
}

void MatrixCellDetail::setPending(const QString &text)
{
    m_chip->hide();
    m_summary->setText(text);
    m_summary->setToolTip(QString());
    m_exchange->clear();
}

QString MatrixCellDetail::summaryText() const
{
    return m_summary->text();
}

void MatrixCellDetail::setResult(const MatrixCellResult &result, const QDateTime &finishedAt, const QString &environmentName,
                                 const QStringList &contextHeaders)
{
    QPalette colours = m_chip->palette();
    colours.setColor(QPalette::Window, MatrixVerdictStyle::background(result.verdict));
    colours.setColor(QPalette::WindowText, MatrixVerdictStyle::foreground(result.verdict));
    m_chip->setPalette(colours);
    m_chip->setText(QStringLiteral("%1 %2").arg(MatrixVerdictStyle::glyph(result.verdict), MatrixVerdictStyle::label(result.verdict)));
    m_chip->setToolTip(MatrixVerdictStyle::meaning(result.verdict));
    m_chip->show();

    QStringList lines;
    lines.append(tr("%1 — %2").arg(result.requestName, result.column));
    const QString expected = result.expectedStatus > 0 ? QString::number(result.expectedStatus) : tr("any 2xx");
    const QString observed = result.observedStatus > 0 ? QString::number(result.observedStatus) : tr("no answer");
    lines.append(tr("Expected %1, observed %2 (%3 ms).").arg(expected, observed).arg(result.elapsedMs));
    if (!result.detail.isEmpty())
        lines.append(result.detail);
    if (result.kind == int(ScopeSet::Kind::NoToken))
        lines.append(tr("Sent without a token."));
    else if (result.grantedReported)
        lines.append(tr("Token asked for: %1 · granted: %2").arg(scopesText(result.askedScopes), scopesText(result.grantedScopes)));
    else
        lines.append(tr("Token asked for: %1 · the server did not say what it granted").arg(scopesText(result.askedScopes)));
    const QJsonObject evidence = result.evidence.json();
    const bool cut = evidence.value(QStringLiteral("request")).toObject().value(QStringLiteral("bodyTruncated")).toBool()
        || evidence.value(QStringLiteral("response")).toObject().value(QStringLiteral("bodyTruncated")).toBool();
    if (cut)
        lines.append(tr("The evidence keeps the first 4 KB of each body."));
    m_summary->setText(lines.join(u'\n'));
    m_summary->setToolTip(PlainToolTips::of(m_summary->text()));
    m_exchange->setEntry(entryFor(result, finishedAt, environmentName, contextHeaders));
    // The answer is what proves the verdict: shown first, the request a tab away.
    if (auto *parts = m_exchange->findChild<QTabWidget *>(QStringLiteral("historyEntryParts")))
        parts->setCurrentWidget(m_exchange->responseView());
}

HistoryEntry MatrixCellDetail::entryFor(const MatrixCellResult &result, const QDateTime &finishedAt, const QString &environmentName,
                                        const QStringList &contextHeaders)
{
    HistoryEntry entry;
    entry.timestamp = finishedAt;
    entry.environmentName = environmentName;
    entry.method = result.method;
    entry.url = result.url;
    const QJsonObject request = result.evidence.value(QStringLiteral("request")).toObject();
    const QJsonObject response = result.evidence.value(QStringLiteral("response")).toObject();
    entry.requestHeaders = headersOf(request.value(QStringLiteral("headers")));
    entry.requestBody = request.value(QStringLiteral("body")).toString().toUtf8();
    const QString sent = InjectedHeader::stateName(InjectedHeader::State::Sent);
    for (const auto &[name, value] : std::as_const(entry.requestHeaders)) {
        if (name.compare("Authorization", Qt::CaseInsensitive) == 0) {
            entry.injected.append({name, value, tr("token"), sent, false});
            continue;
        }
        for (const QString &header : contextHeaders) {
            if (header.compare(QString::fromLatin1(name), Qt::CaseInsensitive) == 0)
                entry.injected.append({name, value, tr("environment header %1").arg(header), sent, false});
        }
    }
    entry.status = response.value(QStringLiteral("status")).toInt(result.observedStatus);
    entry.reason = response.value(QStringLiteral("reason")).toString();
    entry.responseHeaders = headersOf(response.value(QStringLiteral("headers")));
    entry.responseBody = response.value(QStringLiteral("body")).toString().toUtf8();
    entry.durationMs = result.elapsedMs;
    if (entry.status <= 0)
        entry.error = result.detail;
    // The request as this cell composed it: its notes then name the scopes the token was asked for.
    HistoryEntry::Composed composed;
    composed.draft.method = result.method;
    composed.draft.url = result.url;
    composed.draft.scopes = result.askedScopes;
    entry.composed = composed;
    return entry;
}
