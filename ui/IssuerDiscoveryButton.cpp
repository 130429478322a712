#include "IssuerDiscoveryButton.h"

#include "FormNote.h"
#include "oauth/ProviderDiscovery.h"

#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

IssuerDiscoveryButton::IssuerDiscoveryButton(QWidget *parent)
    : QWidget(parent)
    , m_button(new QPushButton(tr("&Issuer URL…")))
    , m_note(FormNote::label(u"issuerDiscoveryNote"_s, FormNote::Tone::Muted))
{
    m_button->setObjectName(u"issuerDiscovery"_s);
    m_button->setAccessibleName(tr("Fill the endpoints from the provider's issuer URL"));
    m_button->setToolTip(tr("Reads the provider's metadata (OpenID Connect discovery, RFC 8414) and fills the token URL and the "
                            "other endpoints, the supported grants and client authentication, and its scopes"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *row = new QHBoxLayout;
    row->addWidget(m_button);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addWidget(m_note);
    setFocusProxy(m_button);
    connect(m_button, &QPushButton::clicked, this, &IssuerDiscoveryButton::ask);
}

void IssuerDiscoveryButton::setContext(const QUrl &issuer, const QByteArray &trustedCertificates, bool allowInsecureHttp)
{
    if (!issuer.isEmpty())
        m_issuer = issuer;
    m_trustedCertificates = trustedCertificates;
    m_allowInsecureHttp = allowInsecureHttp;
}

bool IssuerDiscoveryButton::isRunning() const
{
    return m_preparing || m_discovery != nullptr;
}

void IssuerDiscoveryButton::addToNote(const QString &sentence)
{
    FormNote::show(m_note, FormNote::Tone::Muted, m_note->text() + u' ' + sentence, palette());
}

void IssuerDiscoveryButton::ask()
{
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(u"issuerDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Issuer URL"));
    dialog->setLabelText(tr("The provider's issuer URL (its metadata is read from /.well-known/…):"));
    dialog->setTextValue(m_issuer.toString());
    connect(dialog, &QInputDialog::textValueSelected, this,
            [this](const QString &text) { discover(QUrl(text.trimmed(), QUrl::StrictMode)); });
    dialog->open();
}

void IssuerDiscoveryButton::discover(const QUrl &issuer)
{
    if (m_discovery) {
        m_discovery->disconnect(this);
        m_discovery->cancel();
        m_discovery->deleteLater();
        m_discovery = nullptr;
    }
    m_issuer = issuer;
    const int attempt = ++m_attempt;
    m_button->setEnabled(false);
    FormNote::show(m_note, FormNote::Tone::Muted, tr("Reading the metadata of %1…").arg(issuer.toDisplayString()), palette());
    if (!m_proxyProvider) {
        start(issuer, ProxyPolicy::application());
        return;
    }
    m_preparing = true;
    const QPointer<IssuerDiscoveryButton> self(this);
    m_proxyProvider([self, attempt, issuer](const ProxyPolicy &proxy) {
        if (self && self->m_attempt == attempt)
            self->start(issuer, proxy);
    });
}

void IssuerDiscoveryButton::start(const QUrl &issuer, const ProxyPolicy &proxy)
{
    m_preparing = false;
    m_discovery = new ProviderDiscovery(this);
    connect(m_discovery, &ProviderDiscovery::finished, this, &IssuerDiscoveryButton::onFinished);
    m_discovery->setProxy(proxy);
    m_discovery->start(issuer, m_trustedCertificates, m_allowInsecureHttp);
}

void IssuerDiscoveryButton::onFinished(const DiscoveryResult &result)
{
    m_discovery->deleteLater();
    m_discovery = nullptr;
    m_button->setEnabled(true);
    if (!result.ok()) {
        FormNote::show(m_note, FormNote::Tone::Error, tr("Nothing filled: %1").arg(result.problem), palette());
        return;
    }
    const ProviderMetadata &metadata = *result.metadata;
    FormNote::show(m_note, FormNote::Tone::Muted,
                   tr("Filled from %1. Grants the server supports: %2; client authentication: %3.")
                       .arg(result.documentUrl.toDisplayString(), metadata.grantTypesSupported.join(u", "_s),
                            metadata.tokenEndpointAuthMethodsSupported.join(u", "_s)),
                   palette());
    Q_EMIT discovered(metadata);
}
