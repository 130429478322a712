#include "EnvironmentScopesPage.h"

#include "EnvironmentFieldCheck.h"
#include "EnvironmentProblems.h"
#include "EnvironmentTable.h"
#include "FormNote.h"
#include "NoteSlot.h"
#include "ParamValueDelegate.h"

#include "secrets/SecretStore.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
constexpr int SecretValueRole = ParamValueDelegate::SecretValueRole;
constexpr int NameColumn = ParamValueDelegate::NameColumn;
constexpr int ValueColumn = ParamValueDelegate::ValueColumn;
constexpr int SecretColumn = ParamValueDelegate::SecretColumn;

QString bullets(int count)
{
    return QString(count, QChar(0x2022));
}
} // namespace

EnvironmentScopesPage::EnvironmentScopesPage(EnvironmentSecrets *secrets, QWidget *parent)
    : EnvironmentPage(parent)
    , m_secrets(secrets)
{
    auto *layout = new QVBoxLayout(this);

    auto *scopesLabel = new QLabel(tr("Default &scopes:"));
    m_scopes = new QLineEdit;
    m_scopes->setObjectName(u"scopes"_s);
    m_scopes->setAccessibleName(tr("Default scopes"));
    m_scopes->setPlaceholderText(tr("e.g. accounts:read trades:read"));
    scopesLabel->setBuddy(m_scopes);
    auto *scopesHint = FormNote::label(u"scopesHint"_s, FormNote::Tone::Muted);
    scopesHint->setText(tr("Space-separated. Token requests ask for these unless they name their own."));
    scopesHint->setVisible(true);
    m_scopesMessage = FormNote::label(u"scopesMessage"_s, FormNote::Tone::Error);

    auto *paramsLabel = new QLabel(tr("E&xtra token parameters:"));
    m_params = new EnvironmentTable({tr("Name"), tr("Value"), tr("Secret")}, tr("Extra token parameters"));
    m_params->setObjectName(u"paramsTable"_s);
    m_params->setCheckColumn(SecretColumn, tr("Keep the value in the system keychain, not in the workspace file"));
    m_params->setItemDelegateForColumn(ValueColumn,
                                       new ParamValueDelegate([this](const QString &name) { return paramPlaceholder(name); }, m_params));
    m_params->horizontalHeader()->setStretchLastSection(false);
    m_params->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_params->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_params->horizontalHeader()->setSectionResizeMode(SecretColumn, QHeaderView::ResizeToContents);
    m_params->setColumnWidth(NameColumn, 180);
    paramsLabel->setBuddy(m_params);
    auto *paramsHint = FormNote::label(u"paramsHint"_s, FormNote::Tone::Muted);
    paramsHint->setText(tr("Sent with every token request (audience, resource, …). A secret value is kept in the "
                           "system keychain, never in the workspace file."));
    paramsHint->setVisible(true);
    m_paramsMessage = FormNote::label(u"paramsMessage"_s, FormNote::Tone::Error);

    layout->addWidget(scopesLabel);
    layout->addWidget(m_scopes);
    layout->addWidget(new NoteSlot(scopesHint, {m_scopesMessage}));
    layout->addSpacing(8);
    layout->addWidget(paramsLabel);
    layout->addWidget(paramsHint);
    layout->addWidget(m_params, 1);
    layout->addWidget(m_params->makeButtons(tr("Add parameter"), tr("Remove parameter"), u"addParam"_s, u"removeParam"_s));
    layout->addWidget(new NoteSlot(nullptr, {m_paramsMessage}));

    connect(m_scopes, &QLineEdit::textChanged, this, &EnvironmentPage::edited);
    connect(m_params, &QTableWidget::itemChanged, this, &EnvironmentScopesPage::onParamItemChanged);
    connect(m_params, &EnvironmentTable::rowsChanged, this, [this] {
        refreshSecrets();
        Q_EMIT edited();
    });
    connect(m_secrets, &EnvironmentSecrets::saved, this, &EnvironmentScopesPage::onSaved);
}

QList<QWidget *> EnvironmentScopesPage::focusOrder() const
{
    return {m_scopes, m_params, m_params->addButton(), m_params->removeButton()};
}

void EnvironmentScopesPage::load(const Environment &environment)
{
    m_loading = true;
    m_scopes->setText(environment.scopes.join(u' '));
    m_params->clearRows();
    for (const auto &param : environment.params) {
        const int row = m_params->appendRow();
        const QSignalBlocker blocker(m_params);
        m_params->item(row, NameColumn)->setText(param.name);
        m_params->item(row, SecretColumn)->setCheckState(param.secret ? Qt::Checked : Qt::Unchecked);
        if (!param.secret)
            m_params->item(row, ValueColumn)->setText(param.value);
    }
    m_params->clearSelection();
    m_params->setCurrentItem(nullptr);
    m_loadedSecretParams = environment.secretParamNames();
    m_loading = false;
}

void EnvironmentScopesPage::store(Environment &environment) const
{
    environment.scopes = m_scopes->text().simplified().split(u' ', Qt::SkipEmptyParts);
    environment.scopes.removeDuplicates();

    environment.params.clear();
    for (int row = 0; row < m_params->rowCount(); ++row) {
        const QString name = m_params->cellText(row, NameColumn).trimmed();
        const bool secret = m_params->isChecked(row, SecretColumn);
        const QTableWidgetItem *valueItem = m_params->item(row, ValueColumn);
        const QString value = valueItem ? valueItem->text() : QString();
        const QString typedSecret = valueItem ? valueItem->data(SecretValueRole).toString() : QString();
        if (name.isEmpty() && value.isEmpty() && typedSecret.isEmpty())
            continue; // a row added and left blank
        // A secret parameter's value goes to the keychain on OK, never into the profile.
        environment.params.append({name, secret ? QString() : value, secret});
    }
}

void EnvironmentScopesPage::check(const Environment &current, EnvironmentProblems &problems)
{
    const QPalette base = palette();
    QString scopeError;
    for (const QString &scope : m_scopes->text().simplified().split(u' ', Qt::SkipEmptyParts)) {
        if (!EnvironmentFieldCheck::isScopeToken(scope)) {
            scopeError = tr("“%1” is not a valid scope: use printable ASCII without quotes or backslashes (RFC 6749 §3.3).").arg(scope);
            problems.error(scopeError);
            break;
        }
    }
    FormNote::show(m_scopesMessage, FormNote::Tone::Error, scopeError, base);

    QStringList paramErrors;
    QStringList paramWarnings;
    QSet<QString> paramNames;
    for (int row = 0; row < m_params->rowCount(); ++row) {
        const QString paramName = m_params->cellText(row, NameColumn).trimmed();
        const bool secret = m_params->isChecked(row, SecretColumn);
        const QTableWidgetItem *valueItem = m_params->item(row, ValueColumn);
        const QString value = valueItem ? valueItem->text() : QString();
        const QString typed = valueItem ? valueItem->data(SecretValueRole).toString() : QString();
        if (paramName.isEmpty()) {
            if (!value.isEmpty() || !typed.isEmpty())
                paramErrors.append(tr("Row %1 has a value but no name.").arg(row + 1));
            continue;
        }
        if (paramNames.contains(paramName)) {
            paramErrors.append(tr("“%1” appears twice.").arg(paramName));
            continue;
        }
        paramNames.insert(paramName);
        // Fields the token request already carries: a second copy would be sent twice or win over ours.
        if (paramName == u"grant_type"_s)
            paramErrors.append(tr("grant_type comes from the grant type on the Credentials tab."));
        else if (paramName == u"scope"_s)
            paramErrors.append(tr("scope comes from the default scopes above."));
        else if (current.clientAuth != ClientAuthStyle::Basic && (paramName == u"client_id"_s || paramName == u"client_secret"_s))
            paramErrors.append(tr("%1 is already sent from the Credentials tab.").arg(paramName));
        else if (current.grant == GrantType::Password && (paramName == u"username"_s || paramName == u"password"_s))
            paramErrors.append(tr("%1 is already sent by the password grant.").arg(paramName));
        else if (!secret && value.isEmpty())
            paramErrors.append(tr("“%1” has no value; token requests refuse empty parameters.").arg(paramName));
        else if (secret && typed.isEmpty()) {
            const EnvironmentSecrets::State state = m_secrets->status(SecretStore::paramName(paramName)).state;
            if (state != EnvironmentSecrets::State::Stored && state != EnvironmentSecrets::State::SessionOnly
                && state != EnvironmentSecrets::State::Checking)
                paramWarnings.append(tr("No value is stored for the secret parameter “%1” yet.").arg(paramName));
        }
    }
    if (!paramErrors.isEmpty()) {
        problems.error(paramErrors.constFirst());
        FormNote::show(m_paramsMessage, FormNote::Tone::Error, paramErrors.join(u'\n'), base);
    } else {
        FormNote::show(m_paramsMessage, FormNote::Tone::Warning, paramWarnings.join(u'\n'), base);
    }
}

QStringList EnvironmentScopesPage::secretNames() const
{
    QStringList names;
    for (const QString &param : m_loadedSecretParams)
        names.append(SecretStore::paramName(param));
    return names;
}

QList<EnvironmentSecrets::Op> EnvironmentScopesPage::secretOps(const Environment &current) const
{
    Q_UNUSED(current);
    QList<EnvironmentSecrets::Op> ops;
    QStringList secretParams;
    for (int row = 0; row < m_params->rowCount(); ++row) {
        const QString name = m_params->cellText(row, NameColumn).trimmed();
        if (name.isEmpty() || !m_params->isChecked(row, SecretColumn))
            continue;
        secretParams.append(name);
        const QString typed = m_params->item(row, ValueColumn)->data(SecretValueRole).toString();
        if (!typed.isEmpty())
            ops.append({SecretStore::paramName(name), typed, false});
    }
    // A secret parameter that was removed, renamed or made plain leaves no value behind.
    for (const QString &loaded : m_loadedSecretParams) {
        if (!secretParams.contains(loaded))
            ops.append({SecretStore::paramName(loaded), {}, true});
    }
    return ops;
}

void EnvironmentScopesPage::clearTypedSecrets()
{
    const QSignalBlocker blocker(m_params);
    for (int row = 0; row < m_params->rowCount(); ++row) {
        if (QTableWidgetItem *value = m_params->item(row, ValueColumn))
            value->setData(SecretValueRole, QVariant());
    }
}

void EnvironmentScopesPage::refreshSecrets()
{
    // Tooltips are not edits: keep them from re-running validation row by row.
    const QSignalBlocker blocker(m_params);
    for (int row = 0; row < m_params->rowCount(); ++row) {
        if (QTableWidgetItem *value = m_params->item(row, ValueColumn)) {
            const bool secret = m_params->isChecked(row, SecretColumn);
            value->setToolTip(secret ? paramPlaceholder(m_params->cellText(row, NameColumn).trimmed()) : QString());
        }
    }
    m_params->viewport()->update();
}

QString EnvironmentScopesPage::paramPlaceholder(const QString &paramName) const
{
    const EnvironmentSecrets::Status status = m_secrets->status(SecretStore::paramName(paramName));
    switch (status.state) {
    case EnvironmentSecrets::State::Stored:
        return tr("%1 stored in the system keychain").arg(bullets(6));
    case EnvironmentSecrets::State::SessionOnly:
        return tr("%1 kept for this session only").arg(bullets(6));
    case EnvironmentSecrets::State::Checking:
        return tr("checking the system keychain…");
    case EnvironmentSecrets::State::Unavailable:
    case EnvironmentSecrets::State::Failed:
        return tr("not stored: %1").arg(status.message);
    case EnvironmentSecrets::State::NotStored:
    case EnvironmentSecrets::State::NotApplicable:
        break;
    }
    return tr("not stored: type the value");
}

void EnvironmentScopesPage::onParamItemChanged(QTableWidgetItem *item)
{
    if (m_loading)
        return;
    if (item->column() == SecretColumn) {
        if (QTableWidgetItem *value = m_params->item(item->row(), ValueColumn)) {
            const QSignalBlocker blocker(m_params);
            if (item->checkState() == Qt::Checked) {
                // A value typed before the box was ticked becomes the secret: out of the profile, into the keychain on OK.
                if (!value->text().isEmpty())
                    value->setData(SecretValueRole, value->text());
                value->setText(QString());
            } else {
                const QString typed = value->data(SecretValueRole).toString();
                if (!typed.isEmpty())
                    value->setText(typed);
                value->setData(SecretValueRole, QVariant());
            }
        }
    }
    if (item->column() != ValueColumn)
        refreshSecrets();
    Q_EMIT edited();
}

void EnvironmentScopesPage::onSaved(const EnvironmentSecrets::Op &op)
{
    const QString prefix = SecretStore::paramName(QString());
    if (!op.name.startsWith(prefix))
        return;
    const QString param = op.name.mid(prefix.size());
    if (op.remove) {
        m_loadedSecretParams.removeAll(param);
        return;
    }
    if (!m_loadedSecretParams.contains(param))
        m_loadedSecretParams.append(param);
    const QSignalBlocker blocker(m_params);
    for (int row = 0; row < m_params->rowCount(); ++row) {
        if (m_params->cellText(row, NameColumn).trimmed() == param)
            m_params->item(row, ValueColumn)->setData(SecretValueRole, QVariant());
    }
}
