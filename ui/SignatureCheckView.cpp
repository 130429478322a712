#include "SignatureCheckView.h"

#include "FormNote.h"
#include "jwt/SignatureCheckRunner.h"

#include <QDateTime>
#include <QJsonValue>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

SignatureCheckView::SignatureCheckView(QWidget *parent)
    : QWidget(parent)
    , m_accessRunner(new SignatureCheckRunner(this))
    , m_idRunner(new SignatureCheckRunner(this))
    , m_access(FormNote::label(u"signatureCheck"_s, FormNote::Tone::Plain))
    , m_idToken(FormNote::label(u"idTokenSignatureCheck"_s, FormNote::Tone::Plain))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    for (QLabel *label : {m_access, m_idToken}) {
        // Server text (a kid, an issuer's reason) is shown as text, never as markup.
        label->setTextFormat(Qt::PlainText);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(label);
    }
    m_access->setAccessibleName(tr("Signature check"));
    m_idToken->setAccessibleName(tr("ID token signature check"));
    connect(m_accessRunner, &SignatureCheckRunner::finished, this, [this](const SignatureCheck &result) {
        m_accessCheck = result;
        show(m_access, result, {});
        Q_EMIT checked(result);
    });
    connect(m_idRunner, &SignatureCheckRunner::finished, this, [this](const SignatureCheck &result) {
        // Its claims on the same line: a verified signature over the wrong iss, aud or nonce is no good either.
        FormNote::Tone tone = m_idClaims.isValid() ? FormNote::Tone::Plain
            : m_idClaims.status() == IdTokenClaimsCheck::Status::NotChecked ? FormNote::Tone::Muted
                                                                             : FormNote::Tone::Error;
        if (!result.isVerified() && tone == FormNote::Tone::Plain)
            tone = result.status == SignatureCheck::Status::NotChecked ? FormNote::Tone::Muted : FormNote::Tone::Error;
        const QString line = tr("ID token: ") + result.summary() + u"; "_s + m_idClaims.summary();
        FormNote::show(m_idToken, tone, shortKeyIds(line, result), palette());
        m_idToken->setToolTip(line);
    });
    clear();
}

void SignatureCheckView::setIdTokenExpectation(const QUrl &issuer, const QString &clientId)
{
    m_issuer = issuer;
    m_clientId = clientId;
}

void SignatureCheckView::setProxy(const ProxyPolicy &proxy)
{
    m_accessRunner->setProxy(proxy);
    m_idRunner->setProxy(proxy);
}

void SignatureCheckView::check(const AccessToken &token, const QUrl &jwksUrl, const QByteArray &trustedCertificates)
{
    m_accessCheck = {};
    FormNote::show(m_access, FormNote::Tone::Muted, tr("Checking the signature against the issuer's keys…"), palette());
    m_accessRunner->start(token.value, jwksUrl, trustedCertificates);
    const QJsonValue idToken = token.extraFields.value(u"id_token"_s);
    if (idToken.isString()) {
        m_idClaims = IdTokenClaimsCheck::check(idToken.toString(), {m_issuer, m_clientId, token.idTokenNonce}, QDateTime::currentDateTimeUtc());
        FormNote::show(m_idToken, FormNote::Tone::Muted, tr("ID token: checking…"), palette());
        m_idRunner->start(idToken.toString(), jwksUrl, trustedCertificates);
    } else {
        m_idRunner->cancel();
        FormNote::show(m_idToken, FormNote::Tone::Plain, {}, palette());
    }
}

void SignatureCheckView::clear()
{
    m_accessRunner->cancel();
    m_idRunner->cancel();
    m_accessCheck = {};
    FormNote::show(m_access, FormNote::Tone::Plain, {}, palette());
    FormNote::show(m_idToken, FormNote::Tone::Plain, {}, palette());
}

void SignatureCheckView::show(QLabel *label, const SignatureCheck &check, const QString &prefix)
{
    FormNote::Tone tone = FormNote::Tone::Error;
    if (check.isVerified())
        tone = FormNote::Tone::Plain;
    else if (check.status == SignatureCheck::Status::NotChecked)
        tone = FormNote::Tone::Muted;
    else if (check.status == SignatureCheck::Status::Failed)
        tone = FormNote::Tone::Warning;
    const QString line = prefix + check.summary();
    FormNote::show(label, tone, shortKeyIds(line, check), palette());
    label->setToolTip(line);
}

QString SignatureCheckView::shortKeyIds(const QString &line, const SignatureCheck &check)
{
    // A thumbprint kid is one 43-character word: it would widen the whole inspector. The row
    // shows its ends; the tooltip (and token --json) the whole of it.
    if (check.keyId.size() <= 20)
        return line;
    QString shown = line;
    return shown.replace(u"kid="_s + check.keyId, u"kid="_s + check.keyId.left(8) + u'…' + check.keyId.right(6));
}
