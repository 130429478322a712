#include "EnvironmentNetworkPage.h"

#include "EnvironmentFieldCheck.h"
#include "EnvironmentProblems.h"
#include "FormNote.h"
#include "NoteSlot.h"
#include "SecretField.h"

#include "secrets/SecretStore.h"
#include "settings/Preferences.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSslCertificate>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

EnvironmentNetworkPage::EnvironmentNetworkPage(EnvironmentSecrets *secrets, QWidget *parent)
    : EnvironmentPage(parent)
    , m_secrets(secrets)
{
    auto *layout = new QVBoxLayout(this);

    auto *tls = new QGroupBox(tr("Client certificate (mutual TLS)"));
    tls->setObjectName(u"clientCertificateGroup"_s);
    auto *tlsForm = new QFormLayout(tls);
    tlsForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *certificateRow = new QWidget;
    auto *certificateLayout = new QHBoxLayout(certificateRow);
    certificateLayout->setContentsMargins(0, 0, 0, 0);
    m_certificateSummary = new QLabel;
    m_certificateSummary->setObjectName(u"clientCertificate"_s);
    m_certificateSummary->setTextFormat(Qt::PlainText);
    m_certificateSummary->setWordWrap(true);
    m_chooseCertificate = new QPushButton(tr("Choose PEM file…"));
    m_chooseCertificate->setObjectName(u"chooseClientCertificate"_s);
    m_chooseCertificate->setAccessibleName(tr("Choose the client certificate's PEM file"));
    m_clearCertificate = new QPushButton(tr("Clear"));
    m_clearCertificate->setObjectName(u"clearClientCertificate"_s);
    m_clearCertificate->setAccessibleName(tr("Use no client certificate"));
    certificateLayout->addWidget(m_certificateSummary, 1);
    certificateLayout->addWidget(m_chooseCertificate);
    certificateLayout->addWidget(m_clearCertificate);
    auto *certificateHint = FormNote::label(u"clientCertificateHint"_s, FormNote::Tone::Muted);
    certificateHint->setText(tr("Presented to the token endpoint and the API when they ask for one. The certificate is public "
                                "and kept in the workspace file; its key goes to the system keychain."));
    certificateHint->setVisible(true);
    m_certificateMessage = FormNote::label(u"clientCertificateMessage"_s, FormNote::Tone::Error);
    tlsForm->addRow(tr("C&ertificate:"), FormNote::stacked(certificateRow, {new NoteSlot(certificateHint, {m_certificateMessage})},
                                                          m_chooseCertificate));

    m_clientKey = new SecretField(secrets, SecretStore::clientKeyName(), tr("Client key"), u"clientKey"_s);
    m_clientKey->addFileLoader(u"clientKeyFileDialog"_s, tr("The client certificate's private key"),
                               {tr("PEM private keys (*.pem *.key)"), tr("All files (*)")}, &EnvironmentFieldCheck::privateKeyProblem);
    m_clientKeyMessage = FormNote::label(u"clientKeyMessage"_s, FormNote::Tone::Warning);
    auto *keyBox = new QWidget;
    auto *keyLayout = new QVBoxLayout(keyBox);
    keyLayout->setContentsMargins(0, 0, 0, 0);
    keyLayout->setSpacing(3);
    keyLayout->addWidget(m_clientKey);
    keyLayout->addWidget(m_clientKeyMessage);
    keyBox->setFocusProxy(m_clientKey);
    tlsForm->addRow(tr("&Key:"), keyBox);
    layout->addWidget(tls);

    auto *proxy = new QGroupBox(tr("Proxy"));
    proxy->setObjectName(u"proxyGroup"_s);
    m_proxyForm = new QFormLayout(proxy);
    m_proxyForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_proxyMode = new QComboBox;
    m_proxyMode->setObjectName(u"proxyMode"_s);
    m_proxyMode->setAccessibleName(tr("Proxy"));
    m_proxyMode->addItem(tr("As the app's settings (Preferences)"), static_cast<int>(ProxyMode::App));
    m_proxyMode->addItem(tr("No proxy: connect directly"), static_cast<int>(ProxyMode::Direct));
    m_proxyMode->addItem(tr("This proxy:"), static_cast<int>(ProxyMode::Manual));
    // What "the app's" means now, so the choice is not blind.
    m_appProxyNote = FormNote::label(u"appProxyNote"_s, FormNote::Tone::Muted);
    m_proxyForm->addRow(tr("&Use:"), FormNote::stacked(m_proxyMode, {m_appProxyNote}));
    m_proxyUrl = new QLineEdit;
    m_proxyUrl->setObjectName(u"proxyUrl"_s);
    m_proxyUrl->setAccessibleName(tr("Proxy URL"));
    m_proxyUrl->setPlaceholderText(u"http://proxy.example.com:3128"_s);
    auto *proxyHint = FormNote::label(u"proxyUrlHint"_s, FormNote::Tone::Muted);
    proxyHint->setText(tr("http:// or https:// for an HTTP CONNECT proxy, socks5:// (socks5h:// resolves names at the proxy)."));
    proxyHint->setVisible(true);
    m_proxyUrlMessage = FormNote::label(u"proxyUrlMessage"_s, FormNote::Tone::Error);
    m_proxyForm->addRow(tr("Proxy &URL:"), FormNote::stacked(m_proxyUrl, {new NoteSlot(proxyHint, {m_proxyUrlMessage})}));
    m_proxyUsername = new QLineEdit;
    m_proxyUsername->setObjectName(u"proxyUsername"_s);
    m_proxyUsername->setAccessibleName(tr("Proxy username"));
    m_proxyUsername->setPlaceholderText(tr("empty: the proxy asks for no credentials"));
    m_proxyForm->addRow(tr("User&name:"), m_proxyUsername);
    m_proxyPassword = new SecretField(secrets, SecretStore::proxyPasswordName(), tr("Proxy password"), u"proxyPassword"_s);
    m_proxyForm->addRow(tr("Pass&word:"), m_proxyPassword);
    m_noProxy = new QLineEdit;
    m_noProxy->setObjectName(u"noProxy"_s);
    m_noProxy->setAccessibleName(tr("Hosts reached without the proxy"));
    m_noProxy->setPlaceholderText(tr("e.g. localhost, .internal.example.com"));
    m_proxyForm->addRow(tr("&No proxy for:"), m_noProxy);
    layout->addWidget(proxy);
    layout->addStretch(1);

    connect(m_chooseCertificate, &QPushButton::clicked, this, &EnvironmentNetworkPage::chooseCertificate);
    connect(m_clearCertificate, &QPushButton::clicked, this, [this] {
        m_certificate.clear();
        FormNote::show(m_certificateMessage, FormNote::Tone::Error, {}, palette());
        updateCertificateSummary();
        Q_EMIT edited();
    });
    connect(m_clientKey, &SecretField::edited, this, &EnvironmentPage::edited);
    connect(m_proxyMode, &QComboBox::currentIndexChanged, this, &EnvironmentNetworkPage::updateProxyRows);
    connect(m_proxyUrl, &QLineEdit::textChanged, this, &EnvironmentPage::edited);
    connect(m_proxyUsername, &QLineEdit::textChanged, this, &EnvironmentPage::edited);
    connect(m_noProxy, &QLineEdit::textChanged, this, &EnvironmentPage::edited);
}

QList<QWidget *> EnvironmentNetworkPage::focusOrder() const
{
    return {m_chooseCertificate, m_clearCertificate,
            m_clientKey->edit(), m_clientKey->revealButton(), m_clientKey->loadButton(), m_clientKey->removeButton(),
            m_proxyMode, m_proxyUrl, m_proxyUsername,
            m_proxyPassword->edit(), m_proxyPassword->revealButton(), m_proxyPassword->removeButton(), m_noProxy};
}

ProxyMode EnvironmentNetworkPage::proxyMode() const
{
    return static_cast<ProxyMode>(m_proxyMode->currentData().toInt());
}

void EnvironmentNetworkPage::load(const Environment &environment)
{
    m_demo = environment.isBuiltinDemo();
    m_certificate = environment.clientCertificate;
    FormNote::show(m_certificateMessage, FormNote::Tone::Error, {}, palette());
    m_clientKey->reset();
    m_proxyPassword->reset();
    {
        const QSignalBlocker blocker(m_proxyMode);
        m_proxyMode->setCurrentIndex(std::max(0, m_proxyMode->findData(static_cast<int>(environment.proxy.mode))));
    }
    m_proxyUrl->setText(environment.proxy.url.toString(QUrl::FullyEncoded));
    m_proxyUsername->setText(environment.proxy.username);
    m_noProxy->setText(environment.proxy.noProxy.join(u", "_s));
    // The Demo is on loopback in this process: no certificate to present.
    m_chooseCertificate->setEnabled(!m_demo);
    m_clientKey->setProvided(m_demo);
    updateCertificateSummary();
    updateProxyRows();
}

void EnvironmentNetworkPage::store(Environment &environment) const
{
    if (!m_demo)
        environment.clientCertificate = m_certificate;
    ProxySetting proxy;
    proxy.mode = proxyMode();
    if (proxy.mode == ProxyMode::Manual) {
        proxy.url = EnvironmentFieldCheck::urlFromText(m_proxyUrl->text().trimmed());
        proxy.username = m_proxyUsername->text().trimmed();
        proxy.noProxy = EnvironmentFieldCheck::hostList(m_noProxy->text());
    }
    environment.proxy = proxy;
}

void EnvironmentNetworkPage::check(const Environment &current, EnvironmentProblems &problems)
{
    const QPalette base = palette();
    // Asked again only when the server changes: the system's settings may take a while to read.
    const QUrl target = current.tokenUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
    if (proxyMode() == ProxyMode::App && target != m_appProxyTarget)
        updateAppProxyNote(target);
    // A certificate without its key cannot be presented; the profile may still be saved (the key
    // may be stored in another session), so this warns.
    const bool keyMissing = !m_demo && !m_certificate.isEmpty() && m_clientKey->typed().isEmpty()
        && !m_secrets->isHeld(SecretStore::clientKeyName())
        && m_secrets->status(SecretStore::clientKeyName()).state != EnvironmentSecrets::State::Checking;
    FormNote::show(m_clientKeyMessage, FormNote::Tone::Warning,
                   keyMissing ? tr("No key is stored for the client certificate yet: it cannot be presented.") : QString(), base);

    QString proxyError;
    if (proxyMode() == ProxyMode::Manual) {
        const QString text = m_proxyUrl->text().trimmed();
        if (text.isEmpty()) {
            problems.missing(tr("the proxy URL"));
        } else {
            proxyError = EnvironmentFieldCheck::proxyUrlProblem(text);
            if (!proxyError.isEmpty())
                problems.error(tr("proxy URL: %1").arg(proxyError));
        }
    }
    FormNote::show(m_proxyUrlMessage, FormNote::Tone::Error, proxyError, base);
    m_proxyUrl->setAccessibleDescription(proxyError);
}

QStringList EnvironmentNetworkPage::secretNames() const
{
    if (m_demo)
        return {SecretStore::proxyPasswordName()};
    return {SecretStore::clientKeyName(), SecretStore::proxyPasswordName()};
}

QList<EnvironmentSecrets::Op> EnvironmentNetworkPage::secretOps(const Environment &current) const
{
    QList<EnvironmentSecrets::Op> ops;
    if (const auto op = m_clientKey->saveOp())
        ops.append(*op);
    // A password typed for a proxy no longer used is not kept; a removal asked for is done.
    if (const auto op = m_proxyPassword->saveOp(); op && (op->remove || current.proxy.mode == ProxyMode::Manual))
        ops.append(*op);
    return ops;
}

QString EnvironmentNetworkPage::typedProxyPassword() const
{
    return proxyMode() == ProxyMode::Manual ? m_proxyPassword->typed() : QString();
}

void EnvironmentNetworkPage::updateAppProxyNote(const QUrl &target)
{
    if (proxyMode() != ProxyMode::App) {
        FormNote::show(m_appProxyNote, FormNote::Tone::Muted, {}, palette());
        m_proxyMode->setAccessibleDescription({});
        return;
    }
    m_appProxyTarget = target;
    const AppProxySetting setting = Preferences::proxy();
    QString text = tr("The app's proxy (Environment ▸ Preferences…): %1.").arg(setting.describe());
    // The system's answer depends on the server: said for this environment's.
    if (setting.mode == AppProxySetting::Mode::System && target.isValid() && !target.host().isEmpty())
        text += u' ' + tr("For %1 that is %2.").arg(target.host(), ProxyPolicy::system({}).routeFor(target).display());
    FormNote::show(m_appProxyNote, FormNote::Tone::Muted, text, palette());
    m_proxyMode->setAccessibleDescription(text);
}

void EnvironmentNetworkPage::clearTypedSecrets()
{
    m_clientKey->reset();
    m_proxyPassword->reset();
}

void EnvironmentNetworkPage::refreshSecrets()
{
    m_clientKey->refresh();
    m_proxyPassword->refresh();
}

void EnvironmentNetworkPage::updateProxyRows()
{
    const bool manual = proxyMode() == ProxyMode::Manual;
    for (QWidget *field : {m_proxyUrl->parentWidget(), static_cast<QWidget *>(m_proxyUsername),
                           static_cast<QWidget *>(m_proxyPassword), static_cast<QWidget *>(m_noProxy)}) {
        m_proxyForm->setRowVisible(field, manual);
        field->setEnabled(manual);
    }
    updateAppProxyNote(m_appProxyTarget);
    Q_EMIT edited();
}

void EnvironmentNetworkPage::chooseCertificate()
{
    auto *dialog = new QFileDialog(this, tr("The client certificate (PEM)"));
    dialog->setObjectName(u"clientCertificateFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("PEM certificates (*.pem *.crt *.cer)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, this, &EnvironmentNetworkPage::setCertificateFrom);
    dialog->open();
}

void EnvironmentNetworkPage::setCertificateFrom(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        FormNote::show(m_certificateMessage, FormNote::Tone::Error,
                       tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()), palette());
        return;
    }
    const QByteArray pem = file.read(4 * 1024 * 1024);
    QString problem;
    if (Environment::describeCertificates(pem, &problem).isEmpty()) {
        FormNote::show(m_certificateMessage, FormNote::Tone::Error, tr("%1: %2").arg(QFileInfo(path).fileName(), problem), palette());
        return;
    }
    // The certificate and its chain, re-encoded: a private key in the same file never reaches the
    // workspace (it is for the Key field, and the keychain).
    m_certificate.clear();
    for (const QSslCertificate &certificate : QSslCertificate::fromData(pem, QSsl::Pem))
        m_certificate += certificate.toPem();
    FormNote::show(m_certificateMessage, FormNote::Tone::Error, {}, palette());
    updateCertificateSummary();
    Q_EMIT edited();
}

void EnvironmentNetworkPage::updateCertificateSummary()
{
    const QStringList lines = Environment::describeCertificates(m_certificate);
    m_certificateSummary->setText(lines.isEmpty() ? tr("None") : lines.join(u'\n'));
    m_clearCertificate->setEnabled(!m_certificate.isEmpty() && !m_demo);
}
