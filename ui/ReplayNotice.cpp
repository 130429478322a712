#include "ReplayNotice.h"

#include "workspace/Environment.h"

#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>

ReplayNotice::ReplayNotice(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("replayNotice"));
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setMargin(6);
    hide();
}

QString ReplayNotice::describe(const HistoryEntry &entry)
{
    const QString outcome = entry.status > 0 ? QStringLiteral("%1 %2").arg(entry.status).arg(entry.reason) : tr("no response");
    const QString when = QLocale().toString(entry.timestamp.toLocalTime(), QLocale::ShortFormat);
    return entry.environmentName.isEmpty() ? tr("%1 %2 → %3, %4").arg(entry.method, entry.url, outcome, when)
                                           : tr("%1 %2 → %3, %4 on %5").arg(entry.method, entry.url, outcome, when, entry.environmentName);
}

void ReplayNotice::setPlan(const ReplayPlan &plan, const QString &origin)
{
    m_active = true;
    m_plan = plan;
    m_origin = origin;
    m_confirmed.clear();
    showDifferences(plan.differences);
    show();
}

QStringList ReplayNotice::differencesFor(const Environment &environment, const RequestDraft &draft) const
{
    QStringList differences = m_plan.differences;
    if (!ReplayPlan::holdsRedactedValue(draft)) {
        for (const QString &redacted : m_plan.redactionDifferences)
            differences.removeAll(redacted);
    }
    if (!m_plan.environmentId.isEmpty() && environment.id != m_plan.environmentId)
        differences.append(tr("It was sent on \"%1\"; this tab is now on \"%2\", whose URL, token and headers it would get.")
                               .arg(m_plan.environmentName, environment.name));
    return differences;
}

void ReplayNotice::showDifferences(const QStringList &differences)
{
    QString text = tr("<b>↻ Replay</b> of %1").arg(m_origin.toHtmlEscaped());
    if (differences.isEmpty()) {
        text += m_plan.exact()
            ? tr(" — exact: the same URL, headers, overrides, switched-off headers, scopes, variables and body, on the same environment.")
            : tr(" — the values the history had redacted are typed again; nothing else differs from what was sent.");
        setStyleSheet(QString());
    } else {
        text += tr(" — <b>not exact</b>; you are asked before it is sent:<ul style=\"margin:0\">");
        for (const QString &difference : differences)
            text += QStringLiteral("<li>%1</li>").arg(difference.toHtmlEscaped());
        text += QStringLiteral("</ul>");
        setStyleSheet(QStringLiteral("QLabel { background: palette(alternate-base); border-left: 3px solid #c77700; }"));
    }
    setText(text);
}

void ReplayNotice::refresh(const Environment &environment, const RequestDraft &draft)
{
    if (m_active)
        showDifferences(differencesFor(environment, draft));
}

void ReplayNotice::confirmThen(const Environment &environment, const RequestDraft &draft, const std::function<void()> &send)
{
    const QStringList differences = differencesFor(environment, draft);
    showDifferences(differences);
    const bool unconfirmed = std::any_of(differences.cbegin(), differences.cend(), [this](const QString &d) { return !m_confirmed.contains(d); });
    if (!unconfirmed) {
        send();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Replay is not exact"),
                                tr("This replay would not send exactly what was sent before:"), QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("replayConfirmation"));
    box->setInformativeText(QStringLiteral("• ") + differences.join(QStringLiteral("\n• ")));
    // The differences quote URLs, names and values: QMessageBox would guess their format.
    if (auto *informative = box->findChild<QLabel *>(QStringLiteral("qt_msgbox_informativelabel")))
        informative->setTextFormat(Qt::PlainText);
    QPushButton *go = box->addButton(tr("Send anyway"), QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<ReplayNotice> self(this);
    connect(box, &QMessageBox::finished, this, [self, box, go, differences, send] {
        if (!self || box->clickedButton() != go)
            return;
        self->m_confirmed = differences;
        send();
    });
    box->open();
}
