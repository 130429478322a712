#include "SecretField.h"

#include "FormNote.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
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
    m_fields = fields;
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
    m_fileMessage = FormNote::label(objectStem + u"FileMessage"_s, FormNote::Tone::Error);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(FormNote::stacked(fields, {m_status, m_fileMessage}, m_edit));
    setFocusProxy(m_edit);

    connect(m_reveal, &QToolButton::toggled, this, [this](bool shown) {
        m_edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_reveal->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(m_edit, &QLineEdit::textEdited, this, [this] {
        // Typing a new value supersedes a pending removal of the stored one.
        if (!m_edit->text().isEmpty()) {
            m_removal = false;
            m_loaded.clear();
        }
        refresh();
        Q_EMIT edited();
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        m_removal = !m_removal;
        if (m_removal) {
            m_edit->clear();
            m_loaded.clear();
        }
        refresh();
        Q_EMIT edited();
    });
    connect(m_secrets, &EnvironmentSecrets::saved, this, &SecretField::onSaved);
    connect(m_secrets, &EnvironmentSecrets::statusChanged, this, [this](const QString &name) {
        if (name == m_name)
            refresh();
    });
}

void SecretField::addFileLoader(const QString &dialogObjectName, const QString &dialogTitle, const QStringList &nameFilters,
                                FileCheck check)
{
    m_dialogObjectName = dialogObjectName;
    m_dialogTitle = dialogTitle;
    m_nameFilters = nameFilters;
    m_fileCheck = std::move(check);
    m_load = new QPushButton(tr("Load from file…"));
    m_load->setObjectName(m_edit->objectName() + u"LoadFile"_s);
    m_load->setAccessibleName(tr("Load the %1 from a file").arg(m_edit->accessibleName().toLower()));
    static_cast<QHBoxLayout *>(m_fields->layout())->insertWidget(2, m_load);
    connect(m_load, &QPushButton::clicked, this, &SecretField::chooseFile);
}

void SecretField::chooseFile()
{
    auto *dialog = new QFileDialog(this, m_dialogTitle);
    dialog->setObjectName(m_dialogObjectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters(m_nameFilters);
    connect(dialog, &QFileDialog::fileSelected, this, &SecretField::loadFile);
    dialog->open();
}

void SecretField::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        FormNote::show(m_fileMessage, FormNote::Tone::Error,
                       tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()), palette());
        return;
    }
    // A key file is a few KB; anything far larger is not one.
    const QByteArray content = file.read(256 * 1024);
    const QString problem = m_fileCheck ? m_fileCheck(content) : QString();
    if (!problem.isEmpty()) {
        FormNote::show(m_fileMessage, FormNote::Tone::Error, tr("%1: %2").arg(QFileInfo(path).fileName(), problem), palette());
        return;
    }
    FormNote::show(m_fileMessage, FormNote::Tone::Error, {}, palette());
    m_loaded = QString::fromUtf8(content);
    m_loadedFrom = QFileInfo(path).fileName();
    m_edit->clear();
    m_removal = false;
    refresh();
    Q_EMIT edited();
}

void SecretField::reset()
{
    m_loaded.clear();
    FormNote::show(m_fileMessage, FormNote::Tone::Error, {}, palette());
    m_edit->clear();
    m_removal = false;
    m_reveal->setChecked(false);
}

void SecretField::setProvided(bool provided)
{
    m_provided = provided;
    m_edit->setEnabled(!provided);
    m_reveal->setEnabled(!provided);
    if (m_load)
        m_load->setEnabled(!provided);
}

QString SecretField::typed() const
{
    return m_edit->text().isEmpty() ? m_loaded : m_edit->text();
}

std::optional<EnvironmentSecrets::Op> SecretField::saveOp() const
{
    if (m_provided)
        return std::nullopt;
    // An empty field means "keep what is stored": only typed text is written.
    if (!typed().isEmpty())
        return EnvironmentSecrets::Op{m_name, typed(), false};
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
    if (!m_loaded.isEmpty())
        return tr("new value from %1: saved to the system keychain when you press OK").arg(m_loadedFrom);
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
    m_loaded.clear();
    m_removal = false;
}
