#include "EnvironmentEndpointsPage.h"

#include "EnvironmentFieldCheck.h"
#include "EnvironmentProblems.h"
#include "FormNote.h"
#include "NoteSlot.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

EnvironmentEndpointsPage::EnvironmentEndpointsPage(QWidget *parent)
    : EnvironmentPage(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *group = new QGroupBox(tr("Endpoints"));
    group->setObjectName(u"endpointsGroup"_s);
    m_form = new QFormLayout(group);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addWidget(group);
    layout->addStretch(1);

    m_issuer = addEndpoint(tr("&Issuer:"), u"issuerUrl"_s, tr("Issuer URL"),
                           tr("The provider's identifier; its metadata is at /.well-known/ under it."), tr("the issuer URL"));
    m_authorization = addEndpoint(tr("&Authorization URL:"), u"authorizationUrl"_s, tr("Authorization URL"),
                                  tr("Where the browser signs in (authorization code grant)."), tr("the authorization URL"));
    m_device = addEndpoint(tr("&Device authorization URL:"), u"deviceAuthorizationUrl"_s, tr("Device authorization URL"),
                           tr("Where the device grant gets its user code (RFC 8628)."), tr("the device authorization URL"));
    m_revocation = addEndpoint(tr("&Revocation URL:"), u"revocationUrl"_s, tr("Revocation URL"),
                               tr("Log out revokes the tokens here (RFC 7009)."), tr("the revocation URL"));
    m_introspection = addEndpoint(tr("I&ntrospection URL:"), u"introspectionUrl"_s, tr("Introspection URL"),
                                  tr("Opaque tokens are looked up here (RFC 7662)."), tr("the introspection URL"));
    m_jwks = addEndpoint(tr("&JWKS URL:"), u"jwksUrl"_s, tr("JWKS URL"),
                         tr("The keys a JWT's signature is checked with."), tr("the JWKS URL"));
}

EnvironmentEndpointsPage::Endpoint EnvironmentEndpointsPage::addEndpoint(const QString &label, const QString &objectName,
                                                                         const QString &accessibleName, const QString &hint,
                                                                         const QString &what)
{
    Endpoint endpoint;
    endpoint.what = what;
    endpoint.edit = new QLineEdit;
    endpoint.edit->setObjectName(objectName);
    endpoint.edit->setAccessibleName(accessibleName);
    auto *hintLabel = FormNote::label(objectName + u"Hint"_s, FormNote::Tone::Muted);
    hintLabel->setText(hint);
    hintLabel->setVisible(true);
    endpoint.message = FormNote::label(objectName + u"Message"_s, FormNote::Tone::Error);
    m_form->addRow(label, FormNote::stacked(endpoint.edit, {new NoteSlot(hintLabel, {endpoint.message})}));
    connect(endpoint.edit, &QLineEdit::textChanged, this, &EnvironmentPage::edited);
    return endpoint;
}

QList<QWidget *> EnvironmentEndpointsPage::focusOrder() const
{
    return {m_issuer.edit, m_authorization.edit, m_device.edit, m_revocation.edit, m_introspection.edit, m_jwks.edit};
}

void EnvironmentEndpointsPage::load(const Environment &environment)
{
    m_demo = environment.isBuiltinDemo();
    const ProviderEndpoints &provider = environment.provider;
    m_issuer.edit->setText(provider.issuer.toString(QUrl::FullyEncoded));
    m_authorization.edit->setText(provider.authorizationUrl.toString(QUrl::FullyEncoded));
    m_device.edit->setText(provider.deviceAuthorizationUrl.toString(QUrl::FullyEncoded));
    m_revocation.edit->setText(provider.revocationUrl.toString(QUrl::FullyEncoded));
    m_introspection.edit->setText(provider.introspectionUrl.toString(QUrl::FullyEncoded));
    m_jwks.edit->setText(provider.jwksUrl.toString(QUrl::FullyEncoded));
    for (QWidget *widget : focusOrder()) {
        auto *edit = static_cast<QLineEdit *>(widget);
        edit->setReadOnly(m_demo);
        edit->setToolTip(m_demo ? tr("Provided by the built-in Demo API") : QString());
        edit->setPlaceholderText(m_demo ? tr("provided by the built-in Demo API") : u"https://"_s);
    }
}

void EnvironmentEndpointsPage::store(Environment &environment) const
{
    if (m_demo)
        return;
    ProviderEndpoints &provider = environment.provider;
    const auto url = [](const Endpoint &endpoint) { return EnvironmentFieldCheck::urlFromText(endpoint.edit->text().trimmed()); };
    provider.issuer = url(m_issuer);
    provider.authorizationUrl = url(m_authorization);
    provider.deviceAuthorizationUrl = url(m_device);
    provider.revocationUrl = url(m_revocation);
    provider.introspectionUrl = url(m_introspection);
    provider.jwksUrl = url(m_jwks);
}

void EnvironmentEndpointsPage::checkEndpoint(const Endpoint &endpoint, bool required, EnvironmentProblems &problems)
{
    const QString text = endpoint.edit->text().trimmed();
    QString error;
    if (text.isEmpty()) {
        if (required)
            problems.missing(endpoint.what);
    } else {
        error = EnvironmentFieldCheck::checkUrl(text, false).error;
        if (!error.isEmpty())
            problems.error(tr("%1: %2").arg(endpoint.what, error));
    }
    FormNote::show(endpoint.message, FormNote::Tone::Error, error, palette());
    endpoint.edit->setAccessibleDescription(error);
}

void EnvironmentEndpointsPage::check(const Environment &current, EnvironmentProblems &problems)
{
    const bool authorizationCode = current.grant == GrantType::AuthorizationCode;
    const bool device = current.grant == GrantType::DeviceCode;
    // The grant in use needs its endpoint; the other grant's shows only when it has a value
    // (discovery fills both), so nothing filled in is hidden.
    m_form->setRowVisible(m_authorization.edit->parentWidget(), authorizationCode || !m_authorization.edit->text().isEmpty());
    m_form->setRowVisible(m_device.edit->parentWidget(), device || !m_device.edit->text().isEmpty());
    if (m_demo)
        return;
    checkEndpoint(m_issuer, false, problems);
    checkEndpoint(m_authorization, authorizationCode, problems);
    checkEndpoint(m_device, device, problems);
    checkEndpoint(m_revocation, false, problems);
    checkEndpoint(m_introspection, false, problems);
    checkEndpoint(m_jwks, false, problems);
}

void EnvironmentEndpointsPage::applyTones(const QPalette &base)
{
    for (QWidget *widget : focusOrder())
        toneReadOnly(static_cast<QLineEdit *>(widget), base);
}
