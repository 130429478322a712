#include "demo/DemoDeviceEndpoint.h"

#include "demo/DemoScopes.h"
#include "demo/DemoServer.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

using StatusCode = QHttpServerResponder::StatusCode;
using Method = QHttpServerRequest::Method;

namespace {
// RFC 8628 §6.1: a short code from an alphabet without vowels (no words) or look-alikes.
constexpr char userCodeAlphabet[] = "BCDFGHJKLMNPQRSTVWXZ";
// RFC 8628 §3.5: slow_down adds 5 s to the interval, for this and every later request.
constexpr int slowDownSeconds = 5;

QHttpServerResponse oauthJson(const QJsonObject &object, StatusCode status)
{
    QHttpServerResponse response("application/json"_ba, QJsonDocument(object).toJson(QJsonDocument::Compact), status);
    response.setHeader("Cache-Control"_ba, "no-store"_ba);
    response.setHeader("Pragma"_ba, "no-cache"_ba);
    return response;
}

QHttpServerResponse oauthError(const QString &error, const QString &description)
{
    return oauthJson({{u"error"_s, error}, {u"error_description"_s, description}}, StatusCode::BadRequest);
}

QString randomUserCode()
{
    QString code;
    for (int i = 0; i < 8; ++i) {
        if (i == 4)
            code += u'-';
        code += QLatin1Char(userCodeAlphabet[QRandomGenerator::system()->bounded(int(sizeof userCodeAlphabet) - 1)]);
    }
    return code;
}

QString randomDeviceCode()
{
    QByteArray bytes;
    for (int i = 0; i < 8; ++i) {
        const quint32 word = QRandomGenerator::system()->generate();
        bytes.append(reinterpret_cast<const char *>(&word), sizeof word);
    }
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString formValue(const QByteArray &body, const QString &name)
{
    QByteArray decoded = body;
    decoded.replace('+', ' ');
    return QUrlQuery(QString::fromUtf8(decoded)).queryItemValue(name, QUrl::FullyDecoded);
}
} // namespace

DemoDeviceEndpoint::DemoDeviceEndpoint(std::function<QUrl()> baseUrl, ClientAuthenticator authenticate)
    : m_baseUrl(std::move(baseUrl))
    , m_authenticate(std::move(authenticate))
{
}

void DemoDeviceEndpoint::registerRoutes(QHttpServer *server)
{
    server->route(authorizationPath(), Method::Post, [this](const QHttpServerRequest &request) { return authorize(request); });
    server->route(verificationPath(), Method::Get, [this](const QHttpServerRequest &request) {
        return page(request.query().queryItemValue(u"user_code"_s, QUrl::FullyDecoded), {}, StatusCode::Ok);
    });
    server->route(verificationPath(), Method::Post, [this](const QHttpServerRequest &request) { return decide(request); });
}

QHttpServerResponse DemoDeviceEndpoint::authorize(const QHttpServerRequest &request)
{
    QHash<QString, QString> params;
    QString clientId;
    if (auto refused = m_authenticate(request, &params, &clientId))
        return std::move(*refused);
    const QStringList scopes = params.value(u"scope"_s).split(u' ', Qt::SkipEmptyParts);
    QStringList unknown;
    for (const QString &scope : scopes) {
        if (!DemoScopes::contains(scope))
            unknown.append(scope);
    }
    if (!unknown.isEmpty())
        return oauthError(u"invalid_scope"_s, u"Unknown scope: %1; GET /scopes lists the catalog"_s.arg(unknown.join(u", "_s)));

    // Expired codes go when a new one is made: the Demo's memory stays bounded by use.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_codes.removeIf([&now](const auto &entry) { return entry.value().expiresAt <= now; });
    QString userCode = randomUserCode();
    while (!findPending(userCode).isEmpty())
        userCode = randomUserCode();
    const QString deviceCode = randomDeviceCode();
    Code code;
    code.userCode = userCode;
    code.clientId = clientId;
    code.scopes = scopes;
    code.expiresAt = now.addSecs(m_lifetime);
    code.intervalSeconds = m_interval;
    m_codes.insert(deviceCode, code);

    QUrl verification = m_baseUrl();
    verification.setPath(verificationPath());
    QUrl complete = verification;
    complete.setQuery(QUrlQuery{{u"user_code"_s, userCode}});
    return oauthJson({{u"device_code"_s, deviceCode},
                      {u"user_code"_s, userCode},
                      {u"verification_uri"_s, verification.toString()},
                      {u"verification_uri_complete"_s, complete.toString()},
                      {u"expires_in"_s, m_lifetime},
                      {u"interval"_s, m_interval}},
                     StatusCode::Ok);
}

DemoDeviceEndpoint::Redemption DemoDeviceEndpoint::redeem(const QString &clientId, const QString &deviceCode)
{
    Redemption result;
    ++m_attempts;
    const auto it = m_codes.find(deviceCode);
    if (deviceCode.isEmpty() || it == m_codes.end() || it->clientId != clientId) {
        result.refusal = oauthError(u"invalid_grant"_s, u"Unknown device code, or one issued to another client"_s);
        return result;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (it->expiresAt <= now) {
        m_codes.erase(it);
        result.refusal = oauthError(u"expired_token"_s, u"The device code expired before the user code was approved"_s);
        return result;
    }
    switch (it->state) {
    case State::Denied:
        m_codes.erase(it);
        result.refusal = oauthError(u"access_denied"_s, u"The user denied the request at the verification page"_s);
        return result;
    case State::Approved:
        result.subject = DemoServer::username(); // the person at the verification page
        result.scopes = it->scopes;
        m_codes.erase(it); // a device code is redeemed once
        return result;
    case State::Pending:
        break;
    }
    // A little slack: a client's timer firing a few milliseconds early is not a client in a hurry.
    const bool tooSoon = it->lastPoll.isValid() && it->lastPoll.msecsTo(now) < it->intervalSeconds * 1000 - 250;
    it->lastPoll = now;
    if (tooSoon) {
        it->intervalSeconds += slowDownSeconds;
        result.refusal = oauthError(u"slow_down"_s, u"Polled sooner than the interval; it is now %1 s"_s.arg(it->intervalSeconds));
        return result;
    }
    result.refusal = oauthError(u"authorization_pending"_s, u"The user code has not been approved yet"_s);
    return result;
}

QString DemoDeviceEndpoint::normalized(const QString &userCode)
{
    QString out;
    for (const QChar c : userCode) {
        if (c.isLetterOrNumber())
            out += c.toUpper();
    }
    return out;
}

QString DemoDeviceEndpoint::findPending(const QString &userCode) const
{
    const QString wanted = normalized(userCode);
    if (wanted.isEmpty())
        return {};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (auto it = m_codes.cbegin(); it != m_codes.cend(); ++it) {
        if (it->state == State::Pending && it->expiresAt > now && normalized(it->userCode) == wanted)
            return it.key();
    }
    return {};
}

bool DemoDeviceEndpoint::approve(const QString &userCode)
{
    const QString deviceCode = findPending(userCode);
    if (deviceCode.isEmpty())
        return false;
    m_codes[deviceCode].state = State::Approved;
    return true;
}

bool DemoDeviceEndpoint::deny(const QString &userCode)
{
    const QString deviceCode = findPending(userCode);
    if (deviceCode.isEmpty())
        return false;
    m_codes[deviceCode].state = State::Denied;
    return true;
}

QHttpServerResponse DemoDeviceEndpoint::decide(const QHttpServerRequest &request)
{
    const QString userCode = formValue(request.body(), u"user_code"_s);
    const QString decision = formValue(request.body(), u"decision"_s);
    if (decision != u"approve"_s && decision != u"deny"_s) {
        return page(userCode, u"Choose Approve or Deny."_s, StatusCode::BadRequest);
    }
    const bool done = decision == u"approve"_s ? approve(userCode) : deny(userCode);
    if (!done) {
        return page(userCode, u"That code is unknown, already used or expired. Check the code your device shows."_s, StatusCode::NotFound);
    }
    const QString message = decision == u"approve"_s ? u"Approved. You can close this page; your device has its token."_s
                                                     : u"Denied. Your device will be told."_s;
    return QHttpServerResponse("text/html; charset=utf-8"_ba,
                               (u"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Tokenbench Demo: device</title></head>"
                                "<body><h1>Tokenbench Demo</h1><p id=\"result\">%1</p></body></html>"_s.arg(message.toHtmlEscaped()))
                                       .toUtf8(),
                               StatusCode::Ok);
}

QHttpServerResponse DemoDeviceEndpoint::page(const QString &userCode, const QString &message, QHttpServerResponder::StatusCode status) const
{
    const QString note = message.isEmpty() ? u"Enter the code your device shows, then approve or deny its request."_s : message;
    const QString html =
            u"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Tokenbench Demo: connect a device</title></head><body>"
            "<h1>Connect a device</h1><p>%1</p>"
            "<form method=\"post\" action=\"%2\">"
            "<label>Code <input name=\"user_code\" value=\"%3\" autocomplete=\"off\" autofocus></label> "
            "<p>Signed in as demo-user.</p>"
            "<button name=\"decision\" value=\"approve\">Approve</button> "
            "<button name=\"decision\" value=\"deny\">Deny</button>"
            "</form></body></html>"_s.arg(note.toHtmlEscaped(), verificationPath(), userCode.toHtmlEscaped());
    QHttpServerResponse response("text/html; charset=utf-8"_ba, html.toUtf8(), status);
    response.setHeader("Cache-Control"_ba, "no-store"_ba);
    return response;
}
