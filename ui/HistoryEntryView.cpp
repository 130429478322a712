#include "HistoryEntryView.h"

#include "Fonts.h"
#include "PlainToolTips.h"
#include "ResponseView.h"
#include "http/DenialReadout.h"
#include "http/HttpHeaders.h"
#include "http/InjectedHeader.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QStringDecoder>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {
enum Column { NameColumn, ValueColumn, SourceColumn };

// A word for the Source column, which must fit a narrow dock; the sentence is its tooltip.
QString sourceWord(const HistoryEntry::Injected &injected)
{
    if (injected.state == InjectedHeader::stateName(InjectedHeader::State::Disabled))
        return HistoryEntryView::tr("switched off");
    if (injected.state == InjectedHeader::stateName(InjectedHeader::State::ReplacedByRequestHeader))
        return HistoryEntryView::tr("replaced");
    if (injected.state == InjectedHeader::stateName(InjectedHeader::State::Withheld))
        return HistoryEntryView::tr("withheld");
    return injected.overridden ? HistoryEntryView::tr("overridden") : HistoryEntryView::tr("injected");
}

QString sourceText(const HistoryEntry::Injected &injected)
{
    if (injected.state == InjectedHeader::stateName(InjectedHeader::State::Disabled))
        return HistoryEntryView::tr("The %1 was switched off for this request: not sent.").arg(injected.source);
    if (injected.state == InjectedHeader::stateName(InjectedHeader::State::ReplacedByRequestHeader))
        return HistoryEntryView::tr("The %1 was replaced by the request's own header.").arg(injected.source);
    if (injected.state == InjectedHeader::stateName(InjectedHeader::State::Withheld))
        return HistoryEntryView::tr("The %1 was withheld: not the environment's API origin.").arg(injected.source);
    return injected.overridden ? HistoryEntryView::tr("Overridden for this request: the value replaced the %1's.").arg(injected.source)
                               : HistoryEntryView::tr("Injected from the %1.").arg(injected.source);
}

QString bodyText(const QByteArray &body)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(body);
    if (!decoder.hasError())
        return text;
    return HistoryEntryView::tr("(%n byte(s) of binary data)", nullptr, int(body.size()));
}
} // namespace

HistoryEntryView::HistoryEntryView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("historyEntryView"));
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("historyEntryParts"));
    m_tabs->setAccessibleName(tr("The selected exchange"));
    m_tabs->setDocumentMode(true);

    auto *request = new QWidget(m_tabs);
    auto *requestLayout = new QVBoxLayout(request);
    requestLayout->setContentsMargins(0, 4, 0, 0);
    m_requestLine = new QLabel(request);
    m_requestLine->setObjectName(QStringLiteral("historyRequestLine"));
    m_requestLine->setTextFormat(Qt::PlainText);
    m_requestLine->setWordWrap(true);
    m_requestLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_requestLine->setFont(Fonts::monospace());
    m_requestLine->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_headers = new QTableWidget(0, 3, request);
    m_headers->setObjectName(QStringLiteral("historyRequestHeaders"));
    PlainToolTips::install(m_headers);
    m_headers->setAccessibleName(tr("Request headers as sent"));
    m_headers->setHorizontalHeaderLabels({tr("Name"), tr("Value"), tr("Source")});
    // The value gets the room; name and source are short words.
    m_headers->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    m_headers->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_headers->horizontalHeader()->setSectionResizeMode(SourceColumn, QHeaderView::ResizeToContents);
    m_headers->setTextElideMode(Qt::ElideRight);
    m_headers->verticalHeader()->hide();
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_headers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headers->setWordWrap(false);
    m_body = new QPlainTextEdit(request);
    m_body->setObjectName(QStringLiteral("historyRequestBody"));
    m_body->setAccessibleName(tr("Request body as sent"));
    m_body->setReadOnly(true);
    m_body->setFont(Fonts::monospace());
    m_body->setPlaceholderText(tr("No body"));
    m_notes = new QLabel(request);
    m_notes->setObjectName(QStringLiteral("historyRequestNotes"));
    m_notes->setTextFormat(Qt::RichText);
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    requestLayout->addWidget(m_requestLine);
    requestLayout->addWidget(m_headers, 2);
    requestLayout->addWidget(m_body, 1);
    requestLayout->addWidget(m_notes);

    m_response = new ResponseView(m_tabs);
    m_response->setObjectName(QStringLiteral("historyResponse"));
    m_tabs->addTab(request, tr("Request"));
    m_tabs->addTab(m_response, tr("Response"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    // The panel is narrow beside the composer; what does not fit scrolls or elides.
    setMinimumWidth(0);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Expanding);
    clear();
}

void HistoryEntryView::clear()
{
    m_entryId = 0;
    m_requestLine->setText(tr("Select an entry to see the request and the response."));
    m_headers->setRowCount(0);
    m_body->clear();
    m_notes->clear();
    m_notes->hide();
    m_response->clear();
    m_tabs->setEnabled(false);
}

void HistoryEntryView::setEntry(const HistoryEntry &entry)
{
    m_entryId = entry.id;
    m_tabs->setEnabled(true);
    showRequest(entry);

    ResponseDisplay display;
    if (entry.status > 0) {
        display.status = entry.status;
        display.reason = entry.reason;
        display.statusMeaning = DenialReadout::statusMeaning(entry.status);
        const bool tokenSent = std::any_of(entry.injected.cbegin(), entry.injected.cend(), [](const HistoryEntry::Injected &h) {
            return h.name.compare("Authorization", Qt::CaseInsensitive) == 0 && h.state == InjectedHeader::stateName(InjectedHeader::State::Sent);
        });
        const DenialReadout readout = DenialReadout::explain(entry.status, entry.reason.toLatin1(), HttpHeaders(entry.responseHeaders),
                                                             entry.responseBody, std::nullopt, tokenSent, entry.timestamp);
        if (readout.isDenial())
            display.readout = readout.text();
        display.headers = entry.responseHeaders;
        display.body = entry.responseBody;
        display.contentType = QString::fromLatin1(HttpHeaders(entry.responseHeaders).value("Content-Type"));
        display.elapsedMs = entry.durationMs;
        display.sizeBytes = entry.sizeBytes;
        if (entry.responseBodyTruncated)
            display.readout += (display.readout.isEmpty() ? QString() : QStringLiteral("\n"))
                + tr("The history kept the first %1 of the body.").arg(QLocale().formattedDataSize(entry.responseBody.size()));
    } else {
        display.error = entry.error.isEmpty() ? tr("No response.") : entry.error;
    }
    m_response->setResponse(display);
}

void HistoryEntryView::showRequest(const HistoryEntry &entry)
{
    m_requestLine->setText(QStringLiteral("%1 %2").arg(entry.method, entry.url));
    m_requestLine->setToolTip(PlainToolTips::of(entry.url));

    m_headers->setRowCount(0);
    const auto addRow = [this](const QString &name, const QString &value, const QString &source, const QString &explanation, bool marked) {
        const int row = m_headers->rowCount();
        m_headers->insertRow(row);
        QFont font = m_headers->font();
        font.setItalic(marked);
        for (int column : {NameColumn, ValueColumn, SourceColumn}) {
            auto *item = new QTableWidgetItem(column == NameColumn ? name : column == ValueColumn ? value : source);
            item->setFont(font);
            item->setToolTip(column == SourceColumn ? explanation : item->text());
            if (marked)
                item->setBackground(palette().alternateBase());
            m_headers->setItem(row, column, item);
        }
    };
    const auto injectedFor = [&entry](const QByteArray &name) -> const HistoryEntry::Injected * {
        for (const auto &injected : entry.injected) {
            if (injected.name.compare(name, Qt::CaseInsensitive) == 0)
                return &injected;
        }
        return nullptr;
    };
    for (const auto &[name, value] : entry.requestHeaders) {
        const HistoryEntry::Injected *injected = injectedFor(name);
        const bool fromEnvironment = injected && injected->state == InjectedHeader::stateName(InjectedHeader::State::Sent);
        QString source;
        QString explanation;
        if (fromEnvironment) {
            source = sourceWord(*injected);
            explanation = sourceText(*injected);
        } else if (entry.composed) {
            const bool own = std::any_of(entry.composed->draft.headers.cbegin(), entry.composed->draft.headers.cend(),
                                         [&name](const RequestDraft::Row &row) { return row.name.compare(QString::fromLatin1(name), Qt::CaseInsensitive) == 0; });
            source = own ? tr("this request") : tr("Tokenbench");
            explanation = own ? tr("A header row of the request.") : tr("Added by Tokenbench, such as the body's Content-Type.");
        }
        addRow(QString::fromLatin1(name), QString::fromUtf8(value), source, explanation, fromEnvironment);
    }
    // What the environment would have added but did not: switched off, replaced or withheld.
    for (const auto &injected : entry.injected) {
        if (injected.state != InjectedHeader::stateName(InjectedHeader::State::Sent))
            addRow(QString::fromLatin1(injected.name), tr("(not sent)"), sourceWord(injected), sourceText(injected), true);
    }

    QString body = bodyText(entry.requestBody);
    if (entry.requestBodyTruncated)
        body += tr("\n… (the history kept the first %1)").arg(QLocale().formattedDataSize(entry.requestBody.size()));
    m_body->setPlainText(body);

    QStringList notes;
    const QString when = QLocale().toString(entry.timestamp.toLocalTime(), QLocale::ShortFormat);
    notes.append(entry.environmentName.isEmpty() ? tr("Sent %1.").arg(when) : tr("Sent %1 on %2.").arg(when, entry.environmentName.toHtmlEscaped()));
    if (!entry.origin.isEmpty())
        notes.append(entry.origin.toHtmlEscaped());
    if (entry.composed) {
        const RequestDraft &draft = entry.composed->draft;
        if (!draft.scopes.isEmpty())
            notes.append(tr("Scopes asked for: %1.").arg(draft.scopes.join(QLatin1Char(' ')).toHtmlEscaped()));
        QStringList variables;
        for (const auto &[name, value] : draft.extraVariables)
            variables.append(QStringLiteral("%1 = %2").arg(name, value).toHtmlEscaped());
        if (!variables.isEmpty())
            notes.append(tr("Variables of this request: %1.").arg(variables.join(QStringLiteral(", "))));
        if (!entry.composed->redacted.isEmpty())
            notes.append(tr("Redacted before it was written: %1.").arg(entry.composed->redacted.join(QStringLiteral(", ")).toHtmlEscaped()));
    } else {
        notes.append(tr("Recorded by an older Tokenbench: the request as composed was not kept, so a replay is approximate."));
    }
    m_notes->setText(notes.join(QStringLiteral("<br>")));
    m_notes->show();
}
