#include "AboutDialog.h"

#include "AppIcon.h"
#include "BuildInfo.h"
#include "secrets/SecretStore.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

AboutDialog::AboutDialog(const ComponentVersions &versions, SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_secrets(secrets)
    , m_form(new QFormLayout)
{
    setWindowTitle(tr("About Tokenbench"));
    setObjectName(QStringLiteral("aboutDialog"));

    auto *icon = new QLabel(this);
    icon->setPixmap(AppIcon::icon().pixmap(64, 64));
    // Our own constants only: the homepage may be a link.
    const QString homepage = QString::fromLatin1(BuildInfo::homepage);
    auto *title = new QLabel(tr("<h2>Tokenbench %1</h2><p>A workbench for OAuth 2 protected HTTP APIs.</p>"
                                "<p><a href=\"%2\">%2</a><br>Licensed under the Apache License 2.0.</p>")
                                 .arg(versions.tokenbench.toHtmlEscaped(), homepage.toHtmlEscaped()),
                             this);
    title->setObjectName(QStringLiteral("aboutTitle"));
    title->setOpenExternalLinks(true);
    auto *header = new QHBoxLayout;
    header->addWidget(icon, 0, Qt::AlignTop);
    header->addWidget(title, 1);

    addRow(tr("Tokenbench:"), QStringLiteral("tokenbenchVersion"), versions.tokenbench);
    addRow(tr("Qt (running):"), QStringLiteral("qtRuntimeVersion"), versions.qtRuntime);
    addRow(tr("Qt (built with):"), QStringLiteral("qtCompiledVersion"), versions.qtCompiled);
    addRow(tr("QtKeychain:"), QStringLiteral("qtKeychainVersion"), versions.qtKeychain);
    addRow(tr("libcurl:"), QStringLiteral("curlVersion"), versions.curlLoaded ? versions.curl : tr("not loaded: %1").arg(versions.curl));
    m_keychain = addRow(tr("Secrets kept in:"), QStringLiteral("keychainBackend"), QString());
    showKeychain();
    connect(m_secrets, &SecretStore::keychainAvailabilityChanged, this, &AboutDialog::showKeychain);
    if (!m_secrets->isProbed())
        m_secrets->probe();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("&Copy Versions"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyVersions"));
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(versionsText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(m_form);
    layout->addWidget(buttons);
}

QLabel *AboutDialog::addRow(const QString &label, const QString &objectName, const QString &value)
{
    auto *field = new QLabel(value, this);
    field->setObjectName(objectName);
    // A reason from a library or the keychain is text, never markup.
    field->setTextFormat(Qt::PlainText);
    field->setTextInteractionFlags(Qt::TextSelectableByMouse);
    field->setWordWrap(true);
    m_form->addRow(label, field);
    return field;
}

void AboutDialog::showKeychain()
{
    m_keychain->setText(m_secrets->backendText());
}

QString AboutDialog::versionsText() const
{
    QString text;
    for (int row = 0; row < m_form->rowCount(); ++row) {
        const auto *label = qobject_cast<QLabel *>(m_form->itemAt(row, QFormLayout::LabelRole)->widget());
        const auto *field = qobject_cast<QLabel *>(m_form->itemAt(row, QFormLayout::FieldRole)->widget());
        if (label && field)
            text += QString(label->text()).remove(u'&') + u' ' + field->text() + u'\n';
    }
    return text;
}
