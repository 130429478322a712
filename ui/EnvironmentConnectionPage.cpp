#include "EnvironmentConnectionPage.h"

#include "EnvironmentFieldCheck.h"
#include "EnvironmentProblems.h"
#include "FormNote.h"
#include "IssuerDiscoveryButton.h"
#include "NoteSlot.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

EnvironmentConnectionPage::EnvironmentConnectionPage(QWidget *parent)
    : EnvironmentPage(parent)
{
    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form = form;

    m_demoNote = FormNote::label(u"demoNote"_s, FormNote::Tone::Muted);
    m_demoNote->setText(tr("The built-in Demo API provides this environment's URLs and credentials, whichever grant you try "
                           "(Credentials page). Its grant, scopes, parameters, headers and variables are yours to edit."));
    form->addRow(m_demoNote);

    // An issuer URL instead of a token URL: its metadata fills the endpoints.
    m_issuerDiscovery = new IssuerDiscoveryButton;
    form->addRow(tr("Provider:"), m_issuerDiscovery);

    m_tokenUrl = new QLineEdit;
    m_tokenUrl->setObjectName(u"tokenUrl"_s);
    m_tokenUrl->setAccessibleName(tr("Token URL"));
    m_tokenUrl->setPlaceholderText(u"https://auth.example.com/oauth/token"_s);
    auto *tokenHint = FormNote::label(u"tokenUrlHint"_s, FormNote::Tone::Muted);
    tokenHint->setText(tr("The authorization server's token endpoint: the client credentials are sent here."));
    tokenHint->setVisible(true);
    m_tokenUrlMessage = FormNote::label(u"tokenUrlMessage"_s, FormNote::Tone::Error);
    m_allowInsecureHttp = new QCheckBox(tr("Allow plain http for this environment (the secret crosses the network unencrypted)"));
    m_allowInsecureHttp->setObjectName(u"allowInsecureHttp"_s);
    m_allowInsecureHttp->setAccessibleName(tr("Allow plain http for this environment"));
    m_allowInsecureHttp->setVisible(false);
    form->addRow(tr("T&oken URL:"), FormNote::stacked(m_tokenUrl, {new NoteSlot(tokenHint, {m_tokenUrlMessage, m_allowInsecureHttp})}));

    m_apiUrl = new QLineEdit;
    m_apiUrl->setObjectName(u"apiUrl"_s);
    m_apiUrl->setAccessibleName(tr("API base URL"));
    m_apiUrl->setPlaceholderText(u"https://api.example.com/v1"_s);
    auto *apiHint = FormNote::label(u"apiUrlHint"_s, FormNote::Tone::Muted);
    apiHint->setText(tr("API requests of this environment are made relative to this URL, with its access token."));
    apiHint->setVisible(true);
    m_apiUrlMessage = FormNote::label(u"apiUrlMessage"_s, FormNote::Tone::Error);
    form->addRow(tr("&API base URL:"), FormNote::stacked(m_apiUrl, {new NoteSlot(apiHint, {m_apiUrlMessage})}));

    // A private CA for this environment's servers: trusted besides the system's, never instead
    // of verification.
    auto *trustRow = new QWidget;
    auto *trustLayout = new QHBoxLayout(trustRow);
    trustLayout->setContentsMargins(0, 0, 0, 0);
    m_trustedSummary = new QLabel;
    m_trustedSummary->setObjectName(u"trustedCertificates"_s);
    m_trustedSummary->setTextFormat(Qt::PlainText);
    m_trustedSummary->setWordWrap(true);
    m_addCertificates = new QPushButton(tr("Add PEM file…"));
    m_addCertificates->setObjectName(u"addCertificates"_s);
    m_addCertificates->setAccessibleName(tr("Add trusted certificates from a PEM file"));
    m_clearCertificates = new QPushButton(tr("Clear"));
    m_clearCertificates->setObjectName(u"clearCertificates"_s);
    m_clearCertificates->setAccessibleName(tr("Trust only the system's certificate authorities"));
    trustLayout->addWidget(m_trustedSummary, 1);
    trustLayout->addWidget(m_addCertificates);
    trustLayout->addWidget(m_clearCertificates);
    m_trustedMessage = FormNote::label(u"trustedCertificatesMessage"_s, FormNote::Tone::Error);
    auto *trustHint = FormNote::label(u"trustedCertificatesHint"_s, FormNote::Tone::Muted);
    trustHint->setText(tr("For servers behind a private certificate authority: trusted besides the system's for this "
                          "environment's token endpoint and API. Certificates are public; they are kept in the workspace file."));
    trustHint->setVisible(true);
    connect(m_addCertificates, &QPushButton::clicked, this, &EnvironmentConnectionPage::chooseCertificates);
    connect(m_clearCertificates, &QPushButton::clicked, this, [this] {
        m_trusted.clear();
        FormNote::show(m_trustedMessage, FormNote::Tone::Error, {}, palette());
        updateTrustedSummary();
    });
    form->addRow(tr("Trusted &certificates:"), FormNote::stacked(trustRow, {new NoteSlot(trustHint, {m_trustedMessage})}, m_addCertificates));

    connect(m_issuerDiscovery->button(), &QPushButton::pressed, this, [this] {
        m_issuerDiscovery->setContext({}, m_trusted, m_allowInsecureHttp->isChecked());
    });
    connect(m_tokenUrl, &QLineEdit::textChanged, this, &EnvironmentPage::edited);
    connect(m_apiUrl, &QLineEdit::textChanged, this, &EnvironmentPage::edited);
    connect(m_allowInsecureHttp, &QCheckBox::toggled, this, &EnvironmentPage::edited);
}

QList<QWidget *> EnvironmentConnectionPage::focusOrder() const
{
    return {m_issuerDiscovery->button(), m_tokenUrl, m_allowInsecureHttp, m_apiUrl, m_addCertificates, m_clearCertificates};
}

void EnvironmentConnectionPage::load(const Environment &environment)
{
    m_demo = environment.isBuiltinDemo();
    m_tokenUrl->setText(environment.tokenUrl.toString(QUrl::FullyEncoded));
    m_apiUrl->setText(environment.apiBaseUrl.toString(QUrl::FullyEncoded));
    m_allowInsecureHttp->setChecked(environment.allowInsecureHttp);
    m_trusted = environment.trustedCertificates;
    FormNote::show(m_trustedMessage, FormNote::Tone::Error, {}, palette());

    const QString provided = tr("provided by the built-in Demo API");
    for (QLineEdit *edit : {m_tokenUrl, m_apiUrl}) {
        edit->setReadOnly(m_demo);
        edit->setToolTip(m_demo ? tr("Provided by the built-in Demo API") : QString());
    }
    m_tokenUrl->setPlaceholderText(m_demo ? provided : u"https://auth.example.com/oauth/token"_s);
    m_apiUrl->setPlaceholderText(m_demo ? provided : u"https://api.example.com/v1"_s);
    m_allowInsecureHttp->setEnabled(!m_demo);
    m_addCertificates->setEnabled(!m_demo);
    m_issuerDiscovery->setVisible(!m_demo);
    m_issuerDiscovery->setContext(environment.provider.issuer, m_trusted, environment.allowInsecureHttp);
    FormNote::setShown(m_demoNote, m_demo);
    updateTrustedSummary();
}

void EnvironmentConnectionPage::store(Environment &environment) const
{
    if (m_demo)
        return;
    const QString tokenText = m_tokenUrl->text().trimmed();
    environment.tokenUrl = EnvironmentFieldCheck::urlFromText(tokenText);
    environment.apiBaseUrl = EnvironmentFieldCheck::urlFromText(m_apiUrl->text().trimmed());
    // The permission only means something for a plain-http remote token URL; a stale tick
    // would otherwise silently apply if the URL became http again later.
    environment.allowInsecureHttp = m_allowInsecureHttp->isChecked() && EnvironmentFieldCheck::isPlainHttpRemote(tokenText);
    environment.trustedCertificates = m_trusted;
}

void EnvironmentConnectionPage::check(const Environment &current, EnvironmentProblems &problems)
{
    Q_UNUSED(current);
    const QPalette base = palette();
    // Plain http to a remote host stays savable: the profile may point at an internal server on
    // purpose, and TokenRequest::validate refuses to send unless the box is ticked. The warning
    // stays in view either way.
    bool showInsecureBox = false;
    if (m_demo) {
        FormNote::show(m_tokenUrlMessage, FormNote::Tone::Error, {}, base);
        FormNote::show(m_apiUrlMessage, FormNote::Tone::Error, {}, base);
    } else {
        const QString tokenText = m_tokenUrl->text().trimmed();
        const EnvironmentFieldCheck::UrlCheck token = EnvironmentFieldCheck::checkUrl(tokenText, true);
        if (tokenText.isEmpty()) {
            problems.missing(tr("the token URL"));
            FormNote::show(m_tokenUrlMessage, FormNote::Tone::Error, {}, base);
        } else if (!token.error.isEmpty()) {
            problems.error(tr("token URL: %1").arg(token.error));
            FormNote::show(m_tokenUrlMessage, FormNote::Tone::Error, token.error, base);
        } else if (token.plainHttpRemote) {
            showInsecureBox = true;
            FormNote::show(m_tokenUrlMessage, FormNote::Tone::Warning,
                           m_allowInsecureHttp->isChecked()
                               ? tr("Plain http to a remote host: the client secret and the tokens cross the network unencrypted.")
                               : tr("Plain http to a remote host: the client secret would cross the network unencrypted. "
                                    "Token requests are refused unless you allow it below."),
                           base);
        } else {
            FormNote::show(m_tokenUrlMessage, FormNote::Tone::Error, {}, base);
        }

        const QString apiText = m_apiUrl->text().trimmed();
        const EnvironmentFieldCheck::UrlCheck api = EnvironmentFieldCheck::checkUrl(apiText, false);
        if (apiText.isEmpty()) {
            problems.missing(tr("the API base URL"));
            FormNote::show(m_apiUrlMessage, FormNote::Tone::Error, {}, base);
        } else if (!api.error.isEmpty()) {
            problems.error(tr("API base URL: %1").arg(api.error));
            FormNote::show(m_apiUrlMessage, FormNote::Tone::Error, api.error, base);
        } else if (api.plainHttpRemote) {
            FormNote::show(m_apiUrlMessage, FormNote::Tone::Warning,
                           tr("Plain http to a remote host: the access token would cross the network unencrypted."), base);
        } else {
            FormNote::show(m_apiUrlMessage, FormNote::Tone::Error, {}, base);
        }
    }
    m_allowInsecureHttp->setVisible(showInsecureBox);
    NoteSlot::of(m_allowInsecureHttp)->refresh();
    // A screen reader hears the message when it reaches the field, not only a sighted user below it.
    m_tokenUrl->setAccessibleDescription(m_tokenUrlMessage->isHidden() ? QString() : m_tokenUrlMessage->text());
    m_apiUrl->setAccessibleDescription(m_apiUrlMessage->isHidden() ? QString() : m_apiUrlMessage->text());
}

void EnvironmentConnectionPage::applyMetadata(const ProviderMetadata &metadata)
{
    m_tokenUrl->setText(metadata.tokenEndpoint.toString(QUrl::FullyEncoded));
}

void EnvironmentConnectionPage::applyTones(const QPalette &base)
{
    for (QLineEdit *edit : {m_tokenUrl, m_apiUrl})
        toneReadOnly(edit, base);
}

void EnvironmentConnectionPage::chooseCertificates()
{
    auto *dialog = new QFileDialog(this, tr("Trust the certificates in a PEM file"));
    dialog->setObjectName(u"certificateFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("PEM certificates (*.pem *.crt *.cer)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, this, &EnvironmentConnectionPage::addCertificatesFrom);
    dialog->open();
}

void EnvironmentConnectionPage::addCertificatesFrom(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        FormNote::show(m_trustedMessage, FormNote::Tone::Error,
                       tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()), palette());
        return;
    }
    const QByteArray pem = file.read(4 * 1024 * 1024);
    QString problem;
    if (Environment::describeCertificates(pem, &problem).isEmpty()) {
        FormNote::show(m_trustedMessage, FormNote::Tone::Error, tr("%1: %2").arg(QFileInfo(path).fileName(), problem), palette());
        return;
    }
    // Only the certificates, re-encoded: a key or other text in the file never reaches the workspace.
    for (const QSslCertificate &certificate : QSslCertificate::fromData(pem, QSsl::Pem)) {
        const QByteArray one = certificate.toPem();
        if (!m_trusted.contains(one))
            m_trusted += one;
    }
    FormNote::show(m_trustedMessage, FormNote::Tone::Error, {}, palette());
    updateTrustedSummary();
}

void EnvironmentConnectionPage::updateTrustedSummary()
{
    const QStringList lines = Environment::describeCertificates(m_trusted);
    m_trustedSummary->setText(lines.isEmpty() ? tr("None: the system's certificate authorities only") : lines.join(u'\n'));
    m_clearCertificates->setEnabled(!m_trusted.isEmpty() && !m_demo);
}
