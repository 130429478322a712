#include "DemoApproval.h"

#include "LoopbackBrowser.h"

#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QUrlQuery>

DemoApproval::DemoApproval()
{
    m_network.setProxy(QNetworkProxy::NoProxy);
}

DemoApproval::Answer DemoApproval::http(const QUrl &url, const QByteArray &form)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    QNetworkReply *reply = form.isNull() ? m_network.get(request) : m_network.post(request, form);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    Answer answer;
    if (!reply->isFinished() && !finished.wait(10000)) {
        reply->deleteLater();
        return answer;
    }
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    if (reply->hasRawHeader("Location"))
        answer.location = url.resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
    reply->deleteLater();
    return answer;
}

QByteArray DemoApproval::consentForm(const QByteArray &page, const QString &decision)
{
    QUrlQuery form;
    static const QRegularExpression input(QStringLiteral("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">"));
    for (const auto &match : input.globalMatch(QString::fromUtf8(page))) {
        QString value = match.captured(2);
        value.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
        form.addQueryItem(match.captured(1), QString::fromLatin1(QUrl::toPercentEncoding(value)));
    }
    form.addQueryItem(QStringLiteral("decision"), decision);
    return form.toString(QUrl::FullyEncoded).toLatin1();
}

DemoApproval::Answer DemoApproval::decideConsent(const QUrl &authorizationUrl, const QString &decision)
{
    const Answer shown = http(authorizationUrl);
    if (shown.status != 200 || !shown.body.contains("Approve"))
        return shown;
    // The page posts back to the authorization endpoint itself.
    return http(authorizationUrl.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment), consentForm(shown.body, decision));
}

bool DemoApproval::approveInBrowser(const QUrl &authorizationUrl)
{
    const Answer decided = decideConsent(authorizationUrl, QStringLiteral("approve"));
    if (decided.status != 302)
        return false;
    return LoopbackBrowser::get(decided.location).contains("You can close this page");
}

int DemoApproval::decideDevice(const QUrl &verificationPage, const QString &userCode, const QString &decision)
{
    return http(verificationPage, "user_code=" + QUrl::toPercentEncoding(userCode) + "&decision=" + QUrl::toPercentEncoding(decision)).status;
}

bool DemoApproval::approveDevice(const QUrl &verificationPage, const QString &userCode)
{
    return decideDevice(verificationPage, userCode, QStringLiteral("approve")) == 200;
}
