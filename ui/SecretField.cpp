#include "SecretField.h"

#include "FormNote.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

SecretField::SecretField(EnvironmentSecrets *secrets, const QString &secretName, const QString &what,
                         const QString &objectStem, QWidget *parent)
    : QWidget(parent)
    , m_secrets(secrets)
    , m_name(secretName)
{
    const QString capitalStem = objectStem.left(1).toUpper() + objectStem.mid(1);
    auto *fields = new QWidget;
    auto *row = new QHBoxLayout(fields);
    row->setContentsMargins(0, 0, 0, 0);
    m_edit = new QLineEdit;
    m_edit->setObjectName(objectStem);
    m_edit->setEchoMode(QLineEdit::Password);
    m_edit->setAccessibleName(what);
    m_reveal = new QToolButton;
    m_reveal->setObjectName(u"reveal"_s + capitalStem);
    m_reveal->setCheckable(true);
    m_reveal->setText(tr("Show"));
    m_reveal->setAccessibleName(tr("Show %1").arg(what.toLower()));
    m_reveal->setToolTip(tr("Shows what you type here. A stored secret is never loaded into this dialog."));
    m_remove = new QPushButton(tr("Remove stored secret"));
    m_remove->setObjectName(u"remove"_s + capitalStem);
    m_remove->setAccessibleName(tr("Remove stored %1").arg(what.toLower()));
    row->addWidget(m_edit, 1);
    row->addWidget(m_reveal);
    row->addWidget(m_remove);

    m_status = FormNote::label(objectStem + u"Status"_s, FormNote::Tone::Muted);
    m_status->setAccessibleName(tr("%1 status").arg(what));
    m_status->setVisible(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(FormNote::stacked(fields, {m_status}, m_edit));
    setFocusProxy(m_edit);

    connect(m_reveal, &QToolButton::toggled, this, [this](bool shown) {
        m_edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_reveal->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(m_edit, &QLineEdit::textEdited, this, [this] {
        // Typing a new value supersedes a pending removal of the stored one.
        if (!m_edit->text().isEmpty())
            m_removal = false;
        refresh();
        Q_EMIT edited();
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        m_removal = !m_removal;
        if (m_removal)
            m_edit->clear();
        refresh();
        Q_EMIT edited();
    });
    connect(m_secrets, &EnvironmentSecrets::saved, this, &SecretField::onSaved);
    connect(m_secrets, &EnvironmentSecrets::statusChanged, this, [this](const QString &name) {
        if (name == m_name)
            refresh();
    });
}

void SecretField::reset()
{
    m_edit->clear();
    m_removal = false;
    m_reveal->setChecked(false);
}

void SecretField::setProvided(bool provided)
{
    m_provided = provided;
    m_edit->setEnabled(!provided);
    m_reveal->setEnabled(!provided);
}

QString SecretField::typed() const
{
    return m_edit->text();
}

std::optional<EnvironmentSecrets::Op> SecretField::saveOp() const
{
    if (m_provided)
        return std::nullopt;
    // An empty field means "keep what is stored": only typed text is written.
    if (!m_edit->text().isEmpty())
        return EnvironmentSecrets::Op{m_name, m_edit->text(), false};
    if (m_removal)
        return EnvironmentSecrets::Op{m_name, {}, true};
    return std::nullopt;
}

QString SecretField::statusText() const
{
    if (m_provided)
        return tr("provided by the built-in Demo API");
    if (!m_edit->text().isEmpty())
        return tr("new value: saved to the system keychain when you press OK");
    if (m_removal)
        return tr("removed from the system keychain when you press OK");
    return m_secrets->statusText(m_name);
}

void SecretField::refresh()
{
    QString placeholder;
    if (m_provided)
        placeholder = tr("provided by the built-in Demo API");
    else if (m_removal)
        placeholder = tr("removed when you press OK");
    else
        placeholder = m_secrets->placeholder(m_name);
    m_edit->setPlaceholderText(placeholder);
    m_remove->setVisible(!m_provided && m_secrets->isHeld(m_name));
    m_remove->setText(m_removal ? tr("Keep stored secret") : tr("Remove stored secret"));
    m_status->setText(statusText());
    m_edit->setAccessibleDescription(m_status->text());
}

void SecretField::onSaved(const EnvironmentSecrets::Op &op)
{
    if (op.name != m_name)
        return;
    // What was typed is stored now; an empty field means "keep it" again.
    m_edit->clear();
    m_removal = false;
}
