#include "EnvironmentHeadersPage.h"

#include "EnvironmentFieldCheck.h"
#include "EnvironmentProblems.h"
#include "EnvironmentTable.h"
#include "FormNote.h"
#include "NoteSlot.h"

#include "util/TemplateExpander.h"

#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

EnvironmentHeadersPage::EnvironmentHeadersPage(QWidget *parent)
    : EnvironmentPage(parent)
{
    auto *layout = new QVBoxLayout(this);

    auto *headersLabel = new QLabel(tr("Conte&xt headers:"));
    m_headers = new EnvironmentTable({tr("Name"), tr("Template")}, tr("Context headers"));
    m_headers->setObjectName(u"headersTable"_s);
    m_headers->setColumnWidth(0, 180);
    headersLabel->setBuddy(m_headers);
    auto *headersHint = FormNote::label(u"headersHint"_s, FormNote::Tone::Muted);
    headersHint->setText(tr("Sent with every API request, e.g. X-On-Behalf-Of: user {{userId}}. "
                            "Authorization comes from the access token."));
    headersHint->setVisible(true);
    m_headersMessage = FormNote::label(u"headersMessage"_s, FormNote::Tone::Error);

    auto *variablesLabel = new QLabel(tr("&Variables:"));
    m_variables = new EnvironmentTable({tr("Name"), tr("Value")}, tr("Variables"));
    m_variables->setObjectName(u"variablesTable"_s);
    m_variables->setColumnWidth(0, 180);
    variablesLabel->setBuddy(m_variables);
    m_variablesMessage = FormNote::label(u"variablesMessage"_s, FormNote::Tone::Error);

    layout->addWidget(headersLabel);
    layout->addWidget(headersHint);
    layout->addWidget(m_headers, 1);
    layout->addWidget(m_headers->makeButtons(tr("Add header"), tr("Remove header"), u"addHeader"_s, u"removeHeader"_s));
    layout->addWidget(new NoteSlot(nullptr, {m_headersMessage}));
    layout->addSpacing(8);
    layout->addWidget(variablesLabel);
    layout->addWidget(m_variables, 1);
    layout->addWidget(m_variables->makeButtons(tr("Add variable"), tr("Remove variable"), u"addVariable"_s, u"removeVariable"_s));
    layout->addWidget(new NoteSlot(nullptr, {m_variablesMessage}));

    for (EnvironmentTable *table : {m_headers, m_variables}) {
        connect(table, &QTableWidget::itemChanged, this, &EnvironmentPage::edited);
        connect(table, &EnvironmentTable::rowsChanged, this, &EnvironmentPage::edited);
    }
}

QList<QWidget *> EnvironmentHeadersPage::focusOrder() const
{
    return {m_headers, m_headers->addButton(), m_headers->removeButton(),
            m_variables, m_variables->addButton(), m_variables->removeButton()};
}

void EnvironmentHeadersPage::load(const Environment &environment)
{
    const QSignalBlocker headersBlocker(m_headers);
    const QSignalBlocker variablesBlocker(m_variables);
    m_headers->clearRows();
    for (const auto &header : environment.headers) {
        const int row = m_headers->appendRow();
        m_headers->item(row, 0)->setText(header.name);
        m_headers->item(row, 1)->setText(header.valueTemplate);
    }
    m_variables->clearRows();
    for (const auto &[key, value] : environment.variables) {
        const int row = m_variables->appendRow();
        m_variables->item(row, 0)->setText(key);
        m_variables->item(row, 1)->setText(value);
    }
    for (EnvironmentTable *table : {m_headers, m_variables}) {
        table->clearSelection();
        table->setCurrentItem(nullptr);
    }
}

void EnvironmentHeadersPage::store(Environment &environment) const
{
    environment.headers.clear();
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QString name = m_headers->cellText(row, 0).trimmed();
        const QString value = m_headers->cellText(row, 1).trimmed();
        if (!name.isEmpty() || !value.isEmpty())
            environment.headers.append({name, value});
    }

    environment.variables.clear();
    for (int row = 0; row < m_variables->rowCount(); ++row) {
        const QString name = m_variables->cellText(row, 0).trimmed();
        const QString value = m_variables->cellText(row, 1);
        if (!name.isEmpty() || !value.isEmpty())
            environment.variables.append({name, value});
    }
}

void EnvironmentHeadersPage::check(const Environment &current, EnvironmentProblems &problems)
{
    Q_UNUSED(current);
    const QPalette base = palette();
    // Variables first: the header templates are checked against them.
    QStringList variableErrors;
    QSet<QString> variableNames;
    for (int row = 0; row < m_variables->rowCount(); ++row) {
        const QString variable = m_variables->cellText(row, 0).trimmed();
        if (variable.isEmpty()) {
            if (!m_variables->cellText(row, 1).isEmpty())
                variableErrors.append(tr("Row %1 has a value but no name.").arg(row + 1));
        } else if (!EnvironmentFieldCheck::isVariableName(variable)) {
            variableErrors.append(tr("“%1” cannot be used as a {{placeholder}}: use letters, digits, _ . - and start "
                                     "with a letter or _.").arg(variable));
        } else if (variableNames.contains(variable)) {
            variableErrors.append(tr("“%1” appears twice.").arg(variable));
        } else {
            variableNames.insert(variable);
        }
    }
    if (!variableErrors.isEmpty())
        problems.error(variableErrors.constFirst());
    FormNote::show(m_variablesMessage, FormNote::Tone::Error, variableErrors.join(u'\n'), base);

    QStringList headerErrors;
    QStringList headerWarnings;
    QSet<QString> headerNames;
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QString header = m_headers->cellText(row, 0).trimmed();
        const QString valueTemplate = m_headers->cellText(row, 1);
        if (header.isEmpty()) {
            if (!valueTemplate.trimmed().isEmpty())
                headerErrors.append(tr("Row %1 has a template but no header name.").arg(row + 1));
            continue;
        }
        if (header.compare(u"Authorization"_s, Qt::CaseInsensitive) == 0) {
            headerErrors.append(tr("Authorization is set from the access token; it cannot be a context header."));
        } else if (!EnvironmentFieldCheck::isHeaderName(header)) {
            headerErrors.append(tr("“%1” is not a valid header name.").arg(header));
        } else if (headerNames.contains(header.toLower())) {
            headerErrors.append(tr("“%1” appears twice.").arg(header));
        } else if (valueTemplate.contains(u'\r') || valueTemplate.contains(u'\n')) {
            headerErrors.append(tr("The value of “%1” cannot contain a line break.").arg(header));
        }
        headerNames.insert(header.toLower());
        for (const QString &placeholder : TemplateExpander::placeholders(valueTemplate)) {
            if (!variableNames.contains(placeholder))
                headerWarnings.append(tr("{{%1}} is not one of the variables below; it would be sent as written.").arg(placeholder));
        }
    }
    if (!headerErrors.isEmpty()) {
        problems.error(headerErrors.constFirst());
        FormNote::show(m_headersMessage, FormNote::Tone::Error, headerErrors.join(u'\n'), base);
    } else {
        FormNote::show(m_headersMessage, FormNote::Tone::Warning, headerWarnings.join(u'\n'), base);
    }
}
